/**
 * Create and edit a campaign. Amounts are typed in currency units and sent as integer minor units (parsed from the
 * text, never through floats); dates are local date-times sent as ISO 8601. The server's validation errors land next
 * to the field they name; a few obvious mistakes (an amount that is not money, an end before the start) are caught
 * here first with the same presentation.
 */
import type { AuthSession } from "../common/auth";
import { h } from "../common/dom";
import {
  checkboxes,
  checkedValues,
  clearErrors,
  field,
  fromLocalInput,
  fromMinor,
  input,
  select,
  setFieldError,
  showErrors,
  toLocalInput,
  toMinor,
} from "../common/forms";
import { type Campaign, type CampaignInput, type Creative, DEVICE_TYPES, PACING, PRIORITIES, TIERS } from "./api";

const DAY = 86_400_000;

export function campaignForm(options: {
  auth: AuthSession;
  campaign: Campaign | null;
  creatives: Creative[];
  onSaved: (campaign: Campaign) => void;
  onCancel: () => void;
}): HTMLFormElement {
  const c = options.campaign;
  const now = Date.now();
  const name = input({ type: "text", required: true, maxlength: 200, value: c?.name ?? "" });
  const status = select(
    [
      ["active", "Active"],
      ["paused", "Paused"],
    ],
    c?.status ?? "active",
  );
  const start = input({
    type: "datetime-local",
    required: true,
    value: toLocalInput(c?.flight_start ?? new Date(now).toISOString()),
  });
  const end = input({
    type: "datetime-local",
    required: true,
    value: toLocalInput(c?.flight_end ?? new Date(now + 30 * DAY).toISOString()),
  });
  const total = input({
    type: "text",
    inputmode: "decimal",
    required: true,
    value: c ? fromMinor(c.total_budget_minor) : "500.00",
  });
  const daily = input({
    type: "text",
    inputmode: "decimal",
    value: c?.daily_budget_minor != null ? fromMinor(c.daily_budget_minor) : "",
  });
  const cpm = input({
    type: "text",
    inputmode: "decimal",
    required: true,
    value: c ? fromMinor(c.cpm_minor) : "25.00",
  });
  const priority = select(
    PRIORITIES.map((p) => [p, p[0]!.toUpperCase() + p.slice(1)]),
    c?.priority ?? "standard",
  );
  const weight = input({ type: "number", min: 1, max: 100, step: 1, required: true, value: c?.weight ?? 1 });
  const pacing = select(
    PACING.map((p) => [p, { even: "Even", front_loaded: "Front-loaded", asap: "As fast as possible" }[p]]),
    c?.pacing ?? "even",
  );
  const countries = input({
    type: "text",
    value: c?.targeting.countries.join(", ") ?? "",
    placeholder: "e.g. US, DE (empty = all)",
  });
  const genres = input({ type: "text", value: c?.targeting.genres.join(", ") ?? "", placeholder: "empty = all" });
  const capCount = input({ type: "number", min: 0, max: 1000, step: 1, value: c?.frequency_caps[0]?.count ?? 3 });
  const capHours = input({
    type: "number",
    min: 1,
    max: 720,
    step: 1,
    value: c?.frequency_caps[0] ? Math.round(c.frequency_caps[0].window_seconds / 3600) : 24,
  });
  const category = input({ type: "text", maxlength: 64, value: c?.category ?? "" });
  const domain = input({ type: "text", value: c?.advertiser_domain ?? "", placeholder: "brand.example" });
  const error = h("p", { class: "form-error", role: "alert" });
  const saved = h("p", { class: "form-ok", role: "status" });

  const form = h(
    "form",
    { class: "campaign-form", "aria-labelledby": "campaign-form-heading", novalidate: true },
    h("h2", { id: "campaign-form-heading" }, c ? `Edit “${c.name}”` : "New campaign"),
    field("Name", name, { path: "name" }),
    h(
      "div",
      { class: "row" },
      field("Status", status, { path: "status" }),
      field("Priority", priority, { path: "priority" }),
      field("Pacing", pacing, { path: "pacing" }),
    ),
    h(
      "div",
      { class: "row" },
      field("Flight start", start, { path: "flight_start" }),
      field("Flight end", end, { path: "flight_end" }),
    ),
    h(
      "div",
      { class: "row" },
      field("Total budget (USD)", total, { path: "total_budget_minor" }),
      field("Daily budget (USD)", daily, { path: "daily_budget_minor", hint: "Empty for no daily cap." }),
      field("Price per 1,000 ads (CPM, USD)", cpm, { path: "cpm_minor" }),
      field("Weight", weight, { path: "weight", hint: "1-100: share among equal prices." }),
    ),
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
      field("Countries", countries, { path: "targeting.countries", hint: "Two-letter codes, comma separated." }),
      field("Genres", genres, { path: "targeting.genres", hint: "Genres of the track before the break." }),
    ),
    checkboxes(
      "Devices (none checked = all)",
      "device_types",
      DEVICE_TYPES.map((d) => [d, d]),
      c?.targeting.device_types ?? [],
      "targeting.device_types",
    ),
    h(
      "div",
      { class: "row" },
      field("Frequency cap: ads", capCount, { path: "frequency_caps", hint: "0 = no cap." }),
      field("per hours", capHours),
    ),
    h(
      "div",
      { class: "row" },
      field("Competitive category", category, {
        path: "category",
        hint: "Two ads of one category never share a break.",
      }),
      field("Advertiser domain", domain, { path: "advertiser_domain" }),
    ),
    checkboxes(
      "Creatives",
      "creative_ids",
      options.creatives.map((cr) => [cr.id, `${cr.name} (${Math.round(cr.duration_ms / 1000)} s)`]),
      c?.creative_ids ?? [],
      "creative_ids",
    ),
    options.creatives.length === 0 ? h("p", { class: "hint" }, "Upload a creative below, then attach it here.") : null,
    h(
      "div",
      { class: "controls" },
      h("button", { type: "submit", class: "primary" }, c ? "Save changes" : "Create campaign"),
      h("button", { type: "button", class: "secondary", onclick: options.onCancel }, "Cancel"),
    ),
    error,
    saved,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    error.textContent = "";
    saved.textContent = "";
    const body = collect();
    if (!body) {
      error.textContent = "Some fields need fixing; see the messages next to them.";
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
      saved.textContent = c ? "Saved." : `Created “${result.name}”.`;
      options.onSaved(result);
    } catch (err) {
      error.textContent = showErrors(form, err);
    }
  });

  function collect(): CampaignInput | null {
    let ok = true;
    const money = (el: HTMLInputElement, path: string, optional = false): number | null => {
      if (optional && el.value.trim() === "") return null;
      const minor = toMinor(el.value);
      if (minor === null || minor <= 0) {
        setFieldError(form, path, "Enter a positive amount such as 250.00.");
        ok = false;
      }
      return minor;
    };
    const flightStart = fromLocalInput(start.value);
    const flightEnd = fromLocalInput(end.value);
    if (!flightStart) setFieldError(form, "flight_start", "Pick a start date and time.");
    if (!flightEnd) setFieldError(form, "flight_end", "Pick an end date and time.");
    if (flightStart && flightEnd && flightEnd <= flightStart)
      setFieldError(form, "flight_end", "The flight must end after it starts.");
    ok &&= !!flightStart && !!flightEnd && flightEnd > flightStart;
    const list = (text: string) =>
      text
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    const body: CampaignInput = {
      name: name.value.trim(),
      status: status.value as Campaign["status"],
      flight_start: flightStart ?? "",
      flight_end: flightEnd ?? "",
      total_budget_minor: money(total, "total_budget_minor") ?? 0,
      daily_budget_minor: money(daily, "daily_budget_minor", true),
      cpm_minor: money(cpm, "cpm_minor") ?? 0,
      priority: priority.value as Campaign["priority"],
      weight: Number(weight.value),
      pacing: pacing.value as Campaign["pacing"],
      targeting: {
        countries: list(countries.value).map((s) => s.toUpperCase()),
        tiers: checkedValues(form, "tiers"),
        genres: list(genres.value),
        dayparts: c?.targeting.dayparts ?? [],
        device_types: checkedValues(form, "device_types"),
      },
      frequency_caps:
        Number(capCount.value) > 0
          ? [{ count: Number(capCount.value), window_seconds: Number(capHours.value) * 3600 }]
          : [],
      category: category.value.trim() || null,
      advertiser_domain: domain.value.trim(),
      creative_ids: checkedValues(form, "creative_ids"),
    };
    if (!body.name) {
      setFieldError(form, "name", "Give the campaign a name.");
      ok = false;
    }
    if (!body.advertiser_domain && !c) delete (body as Partial<CampaignInput>).advertiser_domain;
    return ok ? body : null;
  }

  return form;
}
