/**
 * A few DOM helpers instead of a framework: `h()` builds elements from plain data with text content only (never
 * innerHTML, so catalog titles or campaign names cannot inject markup), and `announce()` speaks a status change to
 * screen readers through one polite live region per page.
 */

type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, "").toLowerCase(), value);
    else if (key === "class") el.className = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, ...children);
  return el;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | undefined> = {},
  ...children: Array<Node | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(key, String(value));
  for (const child of children) el.append(child);
  return el;
}

export function append(parent: Element, ...children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "number" ? String(child) : child);
  }
}

/** Replaces an element's children. */
export function render(parent: Element, ...children: Array<Child | Child[]>): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

let liveRegion: HTMLElement | undefined;

/** Tells assistive technology about a change that is not where focus is (a track started, a save failed). */
export function announce(message: string): void {
  if (!liveRegion) {
    liveRegion = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    document.body.append(liveRegion);
  }
  liveRegion.textContent = "";
  // A new text node after a tick so repeated identical messages are read again.
  setTimeout(() => {
    if (liveRegion) liveRegion.textContent = message;
  }, 50);
}

/** Shows or hides an element for everyone, including assistive technology. */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}
