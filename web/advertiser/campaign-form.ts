/**
 * Create and edit a campaign. Amounts are typed in currency units and sent as integer minor units (parsed from the
 * text, never through floats); dates are local date-times sent as ISO 8601. The server's validation errors land next
 * to the field they name; a few obvious mistakes (an amount that is not money, an end before the start) are caught
 * here first with the same presentation (campaign-input.ts). The controls and their defaults are in
 * campaign-fields.ts; this module lays them out and saves.
 */
import type { AuthSession } from "../common/auth";
import { h } from "../common/dom";
import { checkboxes, clearErrors, field, showErrors } from "../common/forms";
import { type Campaign, type Creative, DEVICE_TYPES, TIERS } from "./api";
import { type CampaignFields, campaignFields } from "./campaign-fields";
import { readCampaignInput } from "./campaign-input";

export interface CampaignFormOptions {
  auth: AuthSession;
  campaign: Campaign | null;
  creatives: Creative[];
  onSaved: (campaign: Campaign) => void;
  onCancel: () => void;
}

export function campaignForm(options: CampaignFormOptions): HTMLFormElement {
  const c = options.campaign;
  const fields = campaignFields(c);
  const error = h("p", { class: "form-error", role: "alert" });
  const saved = h("p", { class: "form-ok", role: "status" });
  const form = h(
    "form",
    { class: "campaign-form", "aria-labelledby": "campaign-form-heading", novalidate: true },
    h("h2", { id: "campaign-form-heading" }, c ? `Edit “${c.name}”` : "New campaign"),
    ...deliverySection(fields),
    ...targetingSection(fields, c),
    ...limitsSection(fields),
    ...creativesSection(c, options.creatives),
    h(
      "div",
      { class: "controls" },
      h("button", { type: "submit", class: "primary" }, c ? "Save changes" : "Create campaign"),
      h("button", { type: "button", class: "secondary", onclick: options.onCancel }, "Cancel"),
    ),
    error,
    saved,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save(form, fields, options, { error, saved });
  });
  return form;
}

/** Checks the form, then creates (POST) or changes (PATCH) the campaign; the outcome shows in the form. */
async function save(
  form: HTMLFormElement,
  fields: CampaignFields,
  options: CampaignFormOptions,
  out: { error: HTMLElement; saved: HTMLElement },
): Promise<void> {
  const c = options.campaign;
  clearErrors(form);
  out.error.textContent = "";
  out.saved.textContent = "";
  const body = readCampaignInput(form, fields, c);
  if (!body) {
    out.error.textContent = "Some fields need fixing; see the messages next to them.";
    form.querySelector<HTMLElement>("[aria-invalid]")?.focus();
    return;
  }
  try {
    const result = await options.auth.json<Campaign>(
      c ? `/v1/advertiser/campaigns/${c.id}` : "/v1/advertiser/campaigns",
      {
        method: c ? "PATCH" : "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      },
    );
    out.saved.textContent = c ? "Saved." : `Created “${result.name}”.`;
    options.onSaved(result);
  } catch (err) {
    out.error.textContent = showErrors(form, err);
  }
}

/** Name, status, priority and pacing; the flight; budgets, price and weight. */
function deliverySection(f: CampaignFields): HTMLElement[] {
  return [
    field("Name", f.name, { path: "name" }),
    h(
      "div",
      { class: "row" },
      field("Status", f.status, { path: "status" }),
      field("Priority", f.priority, { path: "priority" }),
      field("Pacing", f.pacing, { path: "pacing" }),
    ),
    h(
      "div",
      { class: "row" },
      field("Flight start", f.start, { path: "flight_start" }),
      field("Flight end", f.end, { path: "flight_end" }),
    ),
    h(
      "div",
      { class: "row" },
      field("Total budget (USD)", f.total, { path: "total_budget_minor" }),
      field("Daily budget (USD)", f.daily, { path: "daily_budget_minor", hint: "Empty for no daily cap." }),
      field("Price per 1,000 ads (CPM, USD)", f.cpm, { path: "cpm_minor" }),
      field("Weight", f.weight, { path: "weight", hint: "1-100: share among equal prices." }),
    ),
  ];
}

/** Who hears the ads: listener tiers, countries, genres, devices. */
function targetingSection(f: CampaignFields, c: Campaign | null): HTMLElement[] {
  return [
    checkboxes(
      "Listener tiers",
      "tiers",
      TIERS.map((t) => [t, t]),
      c?.targeting.tiers ?? ["free"],
      "targeting.tiers",
    ),
    h(
      "div",
      { class: "row" },
      field("Countries", f.countries, { path: "targeting.countries", hint: "Two-letter codes, comma separated." }),
      field("Genres", f.genres, { path: "targeting.genres", hint: "Genres of the track before the break." }),
    ),
    checkboxes(
      "Devices (none checked = all)",
      "device_types",
      DEVICE_TYPES.map((d) => [d, d]),
      c?.targeting.device_types ?? [],
      "targeting.device_types",
    ),
  ];
}

/** How often one listener hears the campaign, and which ads it never shares a break with. */
function limitsSection(f: CampaignFields): HTMLElement[] {
  return [
    h(
      "div",
      { class: "row" },
      field("Frequency cap: ads", f.capCount, { path: "frequency_caps", hint: "0 = no cap." }),
      field("per hours", f.capHours),
    ),
    h(
      "div",
      { class: "row" },
      field("Competitive category", f.category, {
        path: "category",
        hint: "Two ads of one category never share a break.",
      }),
      field("Advertiser domain", f.domain, { path: "advertiser_domain" }),
    ),
  ];
}

/** The creatives to attach (or a hint to upload one first). */
function creativesSection(c: Campaign | null, creatives: Creative[]): HTMLElement[] {
  const list = checkboxes(
    "Creatives",
    "creative_ids",
    creatives.map((cr) => [cr.id, `${cr.name} (${Math.round(cr.duration_ms / 1000)} s)`]),
    c?.creative_ids ?? [],
    "creative_ids",
  );
  return creatives.length === 0
    ? [list, h("p", { class: "hint" }, "Upload a creative below, then attach it here.")]
    : [list];
}
