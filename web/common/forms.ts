/**
 * Form fields with their label, hint and error message wired for assistive technology (`aria-describedby`,
 * `aria-invalid`), and the mapping from a problem+json `errors[]` (paths such as `body.weights.cost`) onto the fields
 * named by those paths, so a 400 from any API shows next to the field that needs fixing.
 */
import { ApiError, describeError } from "./api";
import { h } from "./dom";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A labelled field. `path` is the API's field path (e.g. `weights.cost`), used to place server errors. */
export function field(label: string, control: Control, options: { path?: string; hint?: string } = {}): HTMLElement {
  const id = control.id || `f-${(options.path ?? label).replace(/[^A-Za-z0-9]+/g, "-")}`;
  control.id = id;
  if (options.path) control.dataset.path = options.path;
  const hint = options.hint ? h("span", { class: "hint", id: `${id}-hint` }, options.hint) : null;
  const error = h("span", { class: "field-error", id: `${id}-error` });
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint, error);
}

export function input(attrs: Record<string, string | number | boolean | undefined>): HTMLInputElement {
  return h("input", attrs);
}

export function select(options: Array<[value: string, label: string]>, value?: string): HTMLSelectElement {
  const el = h(
    "select",
    {},
    options.map(([v, l]) => h("option", { value: v }, l)),
  );
  if (value !== undefined) el.value = value;
  return el;
}

/** A group of checkboxes in a fieldset with a legend. */
export function checkboxes(
  legend: string,
  name: string,
  options: Array<[value: string, label: string]>,
  checked: string[],
  path?: string,
): HTMLFieldSetElement {
  return h(
    "fieldset",
    { "data-path": path, id: name, "aria-describedby": `${name}-error` },
    h("legend", {}, legend),
    h(
      "div",
      { class: "checks" },
      options.map(([value, label]) =>
        h("label", {}, h("input", { type: "checkbox", name, value, checked: checked.includes(value) }), label),
      ),
    ),
    h("span", { class: "field-error", id: `${name}-error` }),
  );
}

export function checkedValues(form: HTMLElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
}

export function clearErrors(form: HTMLElement): void {
  for (const el of form.querySelectorAll<HTMLElement>("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll<HTMLElement>(".field-error")) el.textContent = "";
}

/** Puts each server error next to its field; returns the message for errors that match no field. */
export function showErrors(form: HTMLElement, err: unknown, prefixes: string[] = ["body."]): string {
  clearErrors(form);
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return describeError(err);
  const unplaced: string[] = [];
  let first: HTMLElement | null = null;
  for (const e of err.problem.errors) {
    let path = e.path;
    for (const prefix of prefixes) if (path.startsWith(prefix)) path = path.slice(prefix.length);
    const target = closestField(form, path);
    if (!target) {
      unplaced.push(`${path}: ${e.message}`);
      continue;
    }
    target.setAttribute("aria-invalid", "true");
    const errorEl =
      form.querySelector<HTMLElement>(`#${CSS.escape(target.id)}-error`) ?? target.querySelector(".field-error");
    if (errorEl) errorEl.textContent = errorEl.textContent ? `${errorEl.textContent}; ${e.message}` : e.message;
    else unplaced.push(`${path}: ${e.message}`);
    first ??= target;
  }
  first?.focus();
  return unplaced.length > 0 ? `${err.problem.detail} ${unplaced.join("; ")}` : err.problem.detail;
}

/** Marks one field invalid with a message (client-side checks use the same place as server errors). */
export function setFieldError(form: HTMLElement, path: string, message: string): void {
  const target = closestField(form, path);
  if (!target) return;
  target.setAttribute("aria-invalid", "true");
  const errorEl = form.querySelector<HTMLElement>(`#${CSS.escape(target.id)}-error`);
  if (errorEl) errorEl.textContent = message;
}

/** The field whose path is the error's path or its nearest parent (`weights.cost` -> `weights`). */
function closestField(form: HTMLElement, path: string): HTMLElement | null {
  const parts = path.split(".");
  while (parts.length > 0) {
    const el = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(parts.join("."))}"]`);
    if (el) return el;
    parts.pop();
  }
  return null;
}

/** "12.34" (currency units) -> 1234 minor units, exactly (no floats); null when not a money amount. */
export function toMinor(text: string, fractionDigits = 2): number | null {
  const m = /^\s*(\d{1,12})(?:[.,](\d{0,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10 ** fractionDigits + Number((m[2] ?? "").padEnd(fractionDigits, "0") || 0);
}

export function fromMinor(minor: number, fractionDigits = 2): string {
  const whole = Math.floor(minor / 10 ** fractionDigits);
  return `${whole}.${String(minor % 10 ** fractionDigits).padStart(fractionDigits, "0")}`;
}

/** ISO 8601 -> the value of a `datetime-local` input (local time), and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | null {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
