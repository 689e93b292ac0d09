/**
 * A region's overrides: pin one CDN, drain or exclude some, or fix the shares (adding up to 100). Picking another
 * region re-fills the fields from the config; "Remove overrides" deletes the region's entry.
 */
import { cdnStyle } from "../../common/config";
import { h, render } from "../../common/dom";
import { checkboxes, checkedValues, field, input, select } from "../../common/forms";
import { CDNS, type Cdn, CONTINENTS, REGIONS, type RegionOverride } from "../steering-api";
import { card, type FormContext, save } from "./save";

/** The controls that are rebuilt for each region (the drain and exclude checkboxes are read from the form). */
interface OverrideControls {
  pin: HTMLSelectElement;
  shares: Record<Cdn, HTMLInputElement>;
}

export function overrideForm(ctx: FormContext, region: string): HTMLFormElement {
  const keys = [...REGIONS.map((r) => r.country), ...CONTINENTS, "default"];
  const regionSelect = select(
    keys.map((k) => [k, k === "default" ? "default (everywhere)" : k]),
    region,
  );
  const form = card(
    "Region overrides",
    "override-form",
    h("p", { class: "hint" }, "Pin a CDN, drain or exclude one, or fix the shares (adding up to 100) for a region."),
    field("Region", regionSelect, { path: "region" }),
    h("div", { id: "override-fields" }),
    h(
      "div",
      { class: "controls" },
      h("button", { type: "submit", class: "primary" }, "Save overrides"),
      h("button", { type: "button", class: "secondary", id: "override-remove" }, "Remove overrides"),
    ),
  );
  const fields = form.querySelector<HTMLElement>("#override-fields")!;
  let controls: OverrideControls;
  const fill = () => {
    controls = renderOverrideFields(fields, ctx.seen.config.regions[regionSelect.value] ?? {});
  };
  fill();
  regionSelect.addEventListener("change", fill);
  const regionPath = () => `/v1/ops/steering/regions/${encodeURIComponent(regionSelect.value)}`;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = readOverride(form, controls);
    void save(ctx, form, { method: "PUT", path: regionPath(), body }, `Overrides for ${regionSelect.value} saved.`);
  });
  form.querySelector("#override-remove")?.addEventListener("click", () => {
    void save(ctx, form, { method: "DELETE", path: regionPath() }, `Overrides for ${regionSelect.value} removed.`);
  });
  return form;
}

/** Renders the pin, drain, exclude and shares fields for one region's current overrides. */
function renderOverrideFields(container: HTMLElement, current: RegionOverride): OverrideControls {
  const labels = CDNS.map((c): [string, string] => [c, cdnStyle(c).label]);
  const pin = select([["", "No pin"], ...labels], current.pin ?? "");
  const shares = Object.fromEntries(
    CDNS.map((c) => [
      c,
      input({ type: "number", min: 0, max: 100, step: 1, inputmode: "numeric", value: current.shares?.[c] ?? "" }),
    ]),
  ) as Record<Cdn, HTMLInputElement>;
  render(
    container,
    field("Pin", pin, { path: "pin" }),
    checkboxes("Drain (no new sessions)", "drain", labels, current.drain ?? [], "drain"),
    checkboxes("Exclude (never listed)", "exclude", labels, current.exclude ?? [], "exclude"),
    h(
      "fieldset",
      { "data-path": "shares", id: "override-shares", "aria-describedby": "override-shares-error" },
      h("legend", {}, "Fixed shares in % (empty: scored)"),
      h(
        "div",
        { class: "row" },
        CDNS.map((c) => field(cdnStyle(c).label, shares[c], { path: `shares.${c}` })),
      ),
      h("span", { class: "field-error", id: "override-shares-error" }),
    ),
  );
  return { pin, shares };
}

/** The override as typed: only the parts that are set. */
function readOverride(form: HTMLFormElement, { pin, shares }: OverrideControls): RegionOverride {
  const body: RegionOverride = {};
  if (pin.value) body.pin = pin.value as Cdn;
  const drain = checkedValues(form, "drain") as Cdn[];
  const exclude = checkedValues(form, "exclude") as Cdn[];
  if (drain.length) body.drain = drain;
  if (exclude.length) body.exclude = exclude;
  const filled = CDNS.filter((c) => shares[c].value.trim() !== "");
  if (filled.length) body.shares = Object.fromEntries(filled.map((c) => [c, Number(shares[c].value)]));
  return body;
}
