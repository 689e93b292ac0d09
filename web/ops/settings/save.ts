/**
 * What the settings forms share: the config version they send as `If-Match` (one for all of them, moved on by each
 * save), the card each form sits in, and `save`, which sends one section and shows the outcome in the form. A 412 or
 * 409 means someone else changed steering meanwhile: the page re-fills the forms from the current config and says so.
 */
import { ApiError } from "../../common/api";
import type { AuthSession } from "../../common/auth";
import { announce, h } from "../../common/dom";
import { clearErrors, showErrors } from "../../common/forms";
import type { SteeringConfig } from "../steering-api";

export interface Hooks {
  /** A change was applied (refresh the live state and the audit log). */
  saved: () => void;
  /** Someone else changed steering meanwhile: re-fill the forms from the current config. */
  stale: () => void;
}

/** The version the forms send as `If-Match`, shared by all of them and moved on by each save. */
export interface Seen {
  config: SteeringConfig;
}

/** What every form needs to save its section. */
export interface FormContext {
  auth: AuthSession;
  seen: Seen;
  hooks: Hooks;
}

/** Sends one section; shows the outcome in the form. */
export async function save(
  ctx: FormContext,
  form: HTMLFormElement,
  request: { method: "PUT" | "DELETE"; path: string; body?: unknown },
  done: string,
): Promise<void> {
  const status = form.querySelector<HTMLElement>(".form-status")!;
  status.className = "form-status";
  status.textContent = "Saving…";
  try {
    const answer = await ctx.auth.json<{ config: SteeringConfig }>(request.path, {
      method: request.method,
      headers: { "content-type": "application/json", "if-match": `"${ctx.seen.config.version}"` },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    ctx.seen.config = answer.config;
    clearErrors(form);
    status.className = "form-status form-ok";
    status.textContent = `${done} New sessions follow within seconds.`;
    announce(done);
    ctx.hooks.saved();
  } catch (err) {
    status.className = "form-status form-error";
    if (err instanceof ApiError && (err.status === 412 || err.status === 409)) {
      announce("Someone else changed steering meanwhile; the forms now show their version.");
      ctx.hooks.stale();
      return;
    }
    status.textContent = showErrors(form, err, ["body.", "config."]);
  }
}

/** A form in a card: its title, its fields, and a status line for the outcome of a save. */
export function card(title: string, id: string, ...children: Array<Node | Node[] | null>): HTMLFormElement {
  return h(
    "form",
    { class: "card settings-form", id, "aria-labelledby": `${id}-title`, novalidate: true },
    h("h3", { id: `${id}-title` }, title),
    ...children,
    h("p", { class: "form-status", role: "status" }),
  );
}
