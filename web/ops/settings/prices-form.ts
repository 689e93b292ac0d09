/**
 * Prices per GB by region and CDN, as decimal strings (never floats): `default` prices every CDN; a country or
 * continent overrides it. A table with one row per priced region and an empty row to add one.
 */
import { cdnStyle } from "../../common/config";
import { h } from "../../common/dom";
import { input } from "../../common/forms";
import { CDNS, type Cdn, type SteeringConfig } from "../steering-api";
import { card, type FormContext, save } from "./save";

type PriceInputs = Map<string, Record<Cdn, HTMLInputElement>>;

export function pricesForm(ctx: FormContext): HTMLFormElement {
  const prices = ctx.seen.config.prices;
  const regions = Object.keys(prices).sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
  const inputs: PriceInputs = new Map();
  const newRegion = input({ type: "text", maxlength: 7, placeholder: "e.g. EU", "aria-label": "New region", size: 7 });
  const row = priceRow(prices, inputs);
  const form = card(
    "Prices per GB (USD)",
    "prices-form",
    h(
      "p",
      { class: "hint" },
      "Decimal strings, never floats. `default` prices every CDN; a country or continent overrides it.",
    ),
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "Prices per GB" },
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Region"),
            CDNS.map((c) => h("th", { scope: "col" }, cdnStyle(c).label)),
          ),
        ),
        h(
          "tbody",
          {},
          regions.map((r) => row(r, document.createTextNode(r))),
          row("", newRegion),
        ),
      ),
    ),
    h("button", { type: "submit", class: "primary" }, "Save prices"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { prices: readPrices(inputs, newRegion.value) };
    void save(ctx, form, { method: "PUT", path: "/v1/ops/steering/prices", body }, "Prices saved.");
  });
  return form;
}

/**
 * A row builder: one price input per CDN (registered in `inputs` under the region; "" is the new region's row). Each
 * input gets an id and an error message under it, since a table cell has no label of its own.
 */
function priceRow(prices: SteeringConfig["prices"], inputs: PriceInputs): (region: string, regionCell: Node) => Node {
  let n = 0;
  const priceCell = (region: string, cdn: Cdn) => {
    const id = `price-${n++}`;
    const el = input({
      id,
      type: "text",
      inputmode: "decimal",
      size: 8,
      value: prices[region]?.[cdn] ?? "",
      "aria-label": `${cdnStyle(cdn).label} price per GB in ${region || "the new region"}`,
      "aria-describedby": `${id}-error`,
    });
    el.dataset.path = `prices.${region}.${cdn}`;
    return { el, cell: h("td", {}, el, h("span", { class: "field-error", id: `${id}-error` })) };
  };
  return (region, regionCell) => {
    const cells = CDNS.map((c) => priceCell(region, c));
    inputs.set(region, Object.fromEntries(CDNS.map((c, i) => [c, cells[i]!.el])) as Record<Cdn, HTMLInputElement>);
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, regionCell),
      cells.map((c) => c.cell),
    );
  };
}

/** The prices as typed: regions with at least one price (and always `default`); the new row under its typed name. */
function readPrices(inputs: PriceInputs, newRegion: string): Record<string, Partial<Record<Cdn, string>>> {
  const prices: Record<string, Partial<Record<Cdn, string>>> = {};
  for (const [region, cells] of inputs) {
    const key = region || newRegion.trim().toUpperCase();
    if (!key) continue;
    const entry: Partial<Record<Cdn, string>> = {};
    for (const c of CDNS) if (cells[c].value.trim()) entry[c] = cells[c].value.trim();
    if (Object.keys(entry).length > 0 || region === "default") prices[key === "DEFAULT" ? "default" : key] = entry;
  }
  return prices;
}
