/**
 * Forms that change steering: the weight of cost against quality, prices per GB by region, monthly commits per CDN,
 * and a region's overrides (pin, drain, exclude, fixed shares). Each form sends one section of the config with
 * `If-Match` on the version this page last saw, so two operators cannot silently overwrite each other (412: the page
 * re-fills the forms from the current config and says so). A save keeps the forms as typed and moves the version on.
 * The API validates; its messages land next to the fields they name.
 */
import { ApiError } from "../common/api";
import type { AuthSession } from "../common/auth";
import { cdnStyle } from "../common/config";
import { announce, h, render } from "../common/dom";
import { checkboxes, checkedValues, clearErrors, field, input, select, showErrors } from "../common/forms";
import { CDNS, type Cdn, CONTINENTS, REGIONS, type RegionOverride, type SteeringConfig } from "./steering-api";

interface Hooks {
  /** A change was applied (refresh the live state and the audit log). */
  saved: () => void;
  /** Someone else changed steering meanwhile: re-fill the forms from the current config. */
  stale: () => void;
}

/** The version the forms send as `If-Match`, shared by all of them and moved on by each save. */
interface Seen {
  config: SteeringConfig;
}

export function settingsPanel(
  auth: AuthSession,
  container: HTMLElement,
  onChanged: Hooks,
): { show: (config: SteeringConfig, region: string) => void } {
  return {
    show(initial, region) {
      const config: Seen = { config: initial };
      render(
        container,
        h(
          "div",
          { class: "console-layout" },
          weightsForm(auth, config, onChanged),
          overrideForm(auth, config, region, onChanged),
          pricesForm(auth, config, onChanged),
          commitsForm(auth, config, onChanged),
        ),
      );
    },
  };
}

/** Sends one section; shows the outcome in the form. */
async function save(
  auth: AuthSession,
  form: HTMLFormElement,
  seen: Seen,
  request: { method: "PUT" | "DELETE"; path: string; body?: unknown },
  done: string,
  onChanged: Hooks,
): Promise<void> {
  const status = form.querySelector<HTMLElement>(".form-status")!;
  status.className = "form-status";
  status.textContent = "Saving…";
  try {
    const answer = await auth.json<{ config: SteeringConfig }>(request.path, {
      method: request.method,
      headers: { "content-type": "application/json", "if-match": `"${seen.config.version}"` },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    seen.config = answer.config;
    clearErrors(form);
    status.className = "form-status form-ok";
    status.textContent = `${done} New sessions follow within seconds.`;
    announce(done);
    onChanged.saved();
  } catch (err) {
    status.className = "form-status form-error";
    if (err instanceof ApiError && (err.status === 412 || err.status === 409)) {
      announce("Someone else changed steering meanwhile; the forms now show their version.");
      onChanged.stale();
      return;
    }
    status.textContent = showErrors(form, err, ["body.", "config."]);
  }
}

function card(title: string, id: string, ...children: Array<Node | Node[] | null>): HTMLFormElement {
  return h(
    "form",
    { class: "card settings-form", id, "aria-labelledby": `${id}-title`, novalidate: true },
    h("h3", { id: `${id}-title` }, title),
    ...children,
    h("p", { class: "form-status", role: "status" }),
  );
}

function weightsForm(auth: AuthSession, seen: Seen, onChanged: Hooks): HTMLFormElement {
  const cost = input({
    type: "number",
    min: 0,
    max: 100,
    step: 1,
    value: seen.config.weights.cost,
    inputmode: "numeric",
  });
  const quality = input({
    type: "number",
    min: 0,
    max: 100,
    step: 1,
    value: seen.config.weights.quality,
    inputmode: "numeric",
  });
  const form = card(
    "Weights",
    "weights-form",
    h(
      "p",
      { class: "hint" },
      "How much cost counts against quality (measured latency and errors). They add up to 100.",
    ),
    h(
      "div",
      { class: "row" },
      field("Cost weight (%)", cost, { path: "cost" }),
      field("Quality weight (%)", quality, { path: "quality" }),
    ),
    h("button", { type: "submit", class: "primary" }, "Save weights"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save(
      auth,
      form,
      seen,
      {
        method: "PUT",
        path: "/v1/ops/steering/weights",
        body: { cost: Number(cost.value), quality: Number(quality.value) },
      },
      `Weights saved: cost ${cost.value}%, quality ${quality.value}%.`,
      onChanged,
    );
  });
  return form;
}

function overrideForm(auth: AuthSession, seen: Seen, region: string, onChanged: Hooks): HTMLFormElement {
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
  let pin: HTMLSelectElement;
  let shares: Record<Cdn, HTMLInputElement>;
  const fill = () => {
    const current: RegionOverride = seen.config.regions[regionSelect.value] ?? {};
    pin = select([["", "No pin"], ...CDNS.map((c): [string, string] => [c, cdnStyle(c).label])], current.pin ?? "");
    shares = Object.fromEntries(
      CDNS.map((c) => [
        c,
        input({ type: "number", min: 0, max: 100, step: 1, inputmode: "numeric", value: current.shares?.[c] ?? "" }),
      ]),
    ) as Record<Cdn, HTMLInputElement>;
    const labels = CDNS.map((c): [string, string] => [c, cdnStyle(c).label]);
    render(
      fields,
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
  };
  fill();
  regionSelect.addEventListener("change", fill);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body: RegionOverride = {};
    if (pin.value) body.pin = pin.value as Cdn;
    const drain = checkedValues(form, "drain") as Cdn[];
    const exclude = checkedValues(form, "exclude") as Cdn[];
    if (drain.length) body.drain = drain;
    if (exclude.length) body.exclude = exclude;
    const filled = CDNS.filter((c) => shares[c].value.trim() !== "");
    if (filled.length) body.shares = Object.fromEntries(filled.map((c) => [c, Number(shares[c].value)]));
    void save(
      auth,
      form,
      seen,
      { method: "PUT", path: `/v1/ops/steering/regions/${encodeURIComponent(regionSelect.value)}`, body },
      `Overrides for ${regionSelect.value} saved.`,
      onChanged,
    );
  });
  form.querySelector("#override-remove")?.addEventListener("click", () => {
    void save(
      auth,
      form,
      seen,
      { method: "DELETE", path: `/v1/ops/steering/regions/${encodeURIComponent(regionSelect.value)}` },
      `Overrides for ${regionSelect.value} removed.`,
      onChanged,
    );
  });
  return form;
}

function pricesForm(auth: AuthSession, seen: Seen, onChanged: Hooks): HTMLFormElement {
  const regions = Object.keys(seen.config.prices).sort((a, b) =>
    a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b),
  );
  const inputs = new Map<string, Record<Cdn, HTMLInputElement>>();
  let n = 0;
  // Each price input gets an id and an error message under it, since a table cell has no label of its own.
  const priceCell = (region: string, cdn: Cdn) => {
    const id = `price-${n++}`;
    const el = input({
      id,
      type: "text",
      inputmode: "decimal",
      size: 8,
      value: seen.config.prices[region]?.[cdn] ?? "",
      "aria-label": `${cdnStyle(cdn).label} price per GB in ${region || "the new region"}`,
      "aria-describedby": `${id}-error`,
    });
    el.dataset.path = `prices.${region}.${cdn}`;
    return { el, cell: h("td", {}, el, h("span", { class: "field-error", id: `${id}-error` })) };
  };
  const row = (region: string, regionCell: Node) => {
    const cells = CDNS.map((c) => priceCell(region, c));
    inputs.set(region, Object.fromEntries(CDNS.map((c, i) => [c, cells[i]!.el])) as Record<Cdn, HTMLInputElement>);
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, regionCell),
      cells.map((c) => c.cell),
    );
  };
  const newRegion = input({ type: "text", maxlength: 7, placeholder: "e.g. EU", "aria-label": "New region", size: 7 });
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
    const prices: Record<string, Partial<Record<Cdn, string>>> = {};
    for (const [region, cells] of inputs) {
      const key = region || newRegion.value.trim().toUpperCase();
      if (!key) continue;
      const entry: Partial<Record<Cdn, string>> = {};
      for (const c of CDNS) if (cells[c].value.trim()) entry[c] = cells[c].value.trim();
      if (Object.keys(entry).length > 0 || region === "default") prices[key === "DEFAULT" ? "default" : key] = entry;
    }
    void save(
      auth,
      form,
      seen,
      { method: "PUT", path: "/v1/ops/steering/prices", body: { prices } },
      "Prices saved.",
      onChanged,
    );
  });
  return form;
}

function commitsForm(auth: AuthSession, seen: Seen, onChanged: Hooks): HTMLFormElement {
  const rows = CDNS.map((c) => {
    const commit = seen.config.commits[c];
    return {
      cdn: c,
      volume: input({ type: "number", min: 1, step: 1, value: commit?.volumeGb ?? "", inputmode: "numeric" }),
      price: input({ type: "text", inputmode: "decimal", value: commit?.pricePerGb ?? "" }),
      burst: input({ type: "text", inputmode: "decimal", value: commit?.burstPricePerGb ?? "" }),
    };
  });
  const form = card(
    "Monthly commits",
    "commits-form",
    h(
      "p",
      { class: "hint" },
      "A committed volume is paid whether used or not; above it the burst price applies. Empty: no commit.",
    ),
    rows.map((r) =>
      h(
        "fieldset",
        { "data-path": `commits.${r.cdn}` },
        h("legend", {}, cdnStyle(r.cdn).label),
        h(
          "div",
          { class: "row" },
          field("GB per month", r.volume, { path: `commits.${r.cdn}.volumeGb` }),
          field("Price per GB", r.price, { path: `commits.${r.cdn}.pricePerGb` }),
          field("Burst price per GB", r.burst, { path: `commits.${r.cdn}.burstPricePerGb` }),
        ),
      ),
    ),
    h("button", { type: "submit", class: "primary" }, "Save commits"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const commits: Record<string, { volumeGb: number; pricePerGb: string; burstPricePerGb: string }> = {};
    for (const r of rows) {
      if (!r.volume.value && !r.price.value && !r.burst.value) continue;
      commits[r.cdn] = {
        volumeGb: Number(r.volume.value),
        pricePerGb: r.price.value.trim(),
        burstPricePerGb: r.burst.value.trim(),
      };
    }
    void save(
      auth,
      form,
      seen,
      { method: "PUT", path: "/v1/ops/steering/commits", body: { commits } },
      "Commits saved.",
      onChanged,
    );
  });
  return form;
}
