/**
 * The start every signed-in page shares: the deployment's web config, the tab's session restored, and either the
 * sign-in form (refusing an account the page is not for, with the reason) or the page itself with the account and a
 * "Sign out" button in the top bar. The ops and advertiser consoles start with `startConsole`; the player, which
 * signs out its own way (stop playback, send the events it holds), uses `renderAccount` alone.
 */
import type { AuthSession, Me } from "./auth";
import { type WebConfig, webConfig } from "./config";
import { byId, h, render } from "./dom";
import { type DemoAccount, loginForm } from "./login";

export interface ConsoleOptions {
  auth: AuthSession;
  /** The sign-in form's heading. */
  heading: string;
  demoAccounts: DemoAccount[];
  /** Why this account cannot use the console, or null. */
  refuse: (me: Me) => string | null;
  /** Builds the signed-in page (the app is shown and the account is in the top bar by then). */
  onSignedIn: (me: Me, config: WebConfig) => void;
}

export async function startConsole(options: ConsoleOptions): Promise<void> {
  const config = await webConfig();
  const me = await options.auth.restore();
  const signedIn = (account: Me): void => {
    render(byId("login-area"));
    byId("app").hidden = false;
    renderAccount(options.auth, account);
    options.onSignedIn(account, config);
  };
  if (me && !options.refuse(me)) signedIn(me);
  else showLogin(options, signedIn);
}

function showLogin(options: ConsoleOptions, signedIn: (me: Me) => void): void {
  byId("app").hidden = true;
  render(byId("account"));
  render(
    byId("login-area"),
    loginForm({
      auth: options.auth,
      heading: options.heading,
      demoAccounts: options.demoAccounts,
      refuse: options.refuse,
      onSignedIn: signedIn,
    }),
  );
}

/**
 * The top bar's account: an optional badge, the email (or subject), and "Sign out", which runs `beforeSignOut`, ends
 * the session and reloads the page.
 */
export function renderAccount(
  auth: AuthSession,
  account: Me,
  options: { badge?: HTMLElement; beforeSignOut?: () => Promise<void> } = {},
): void {
  render(
    byId("account"),
    options.badge,
    h("span", { class: "account-email" }, account.email ?? account.sub),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        onclick: async () => {
          await options.beforeSignOut?.();
          await auth.logout();
          location.reload();
        },
      },
      "Sign out",
    ),
  );
}
