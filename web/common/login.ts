/**
 * The sign-in form every page shows first: email and password with labels, the demo accounts one click away (they
 * exist only outside production, with the documented demo password), and the server's error in an alert region.
 * A page that needs a scope says so when the account lacks it instead of failing later with a 403.
 */
import { describeError } from "./api";
import type { AuthSession, Me } from "./auth";
import { h } from "./dom";

export interface DemoAccount {
  email: string;
  label: string;
}

export const DEMO_PASSWORD = "demo-password";

export function loginForm(options: {
  auth: AuthSession;
  heading: string;
  demoAccounts: DemoAccount[];
  /** Returns why this account cannot use the page, or null. */
  refuse?: (me: Me) => string | null;
  onSignedIn: (me: Me) => void;
}): HTMLElement {
  const error = h("p", { class: "form-error", role: "alert" });
  const email = h("input", {
    id: "login-email",
    name: "email",
    type: "email",
    autocomplete: "username",
    required: true,
  });
  const password = h("input", {
    id: "login-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "card login", "aria-labelledby": "login-heading" },
    h("h2", { id: "login-heading" }, options.heading),
    h("div", { class: "field" }, h("label", { for: "login-email" }, "Email"), email),
    h("div", { class: "field" }, h("label", { for: "login-password" }, "Password"), password),
    submit,
    error,
    options.demoAccounts.length > 0
      ? h(
          "div",
          { class: "demo-accounts" },
          h("p", {}, "Demo accounts (password ", h("code", {}, DEMO_PASSWORD), "):"),
          h(
            "ul",
            { class: "chips" },
            options.demoAccounts.map((account) =>
              h(
                "li",
                {},
                h(
                  "button",
                  {
                    type: "button",
                    class: "chip",
                    "data-email": account.email,
                    onclick: () => {
                      email.value = account.email;
                      password.value = DEMO_PASSWORD;
                      form.requestSubmit();
                    },
                  },
                  account.label,
                ),
              ),
            ),
          ),
        )
      : null,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      const me = await options.auth.login(email.value.trim(), password.value);
      const refusal = options.refuse?.(me) ?? null;
      if (refusal) {
        await options.auth.logout();
        error.textContent = refusal;
        return;
      }
      options.onSignedIn(me);
    } catch (err) {
      error.textContent = describeError(err);
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
