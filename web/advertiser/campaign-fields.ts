/**
 * The campaign form's controls, filled from the campaign being edited or with a new campaign's defaults (active,
 * flying from now for 30 days, 500.00 budget at a 25.00 CPM, standard priority, even pacing, 3 ads per 24 hours).
 * Amounts show in currency units; dates as local date-times.
 */
import { fromMinor, input, select, toLocalInput } from "../common/forms";
import { type Campaign, PACING, PRIORITIES } from "./api";

const DAY = 86_400_000;

export interface CampaignFields {
  name: HTMLInputElement;
  status: HTMLSelectElement;
  start: HTMLInputElement;
  end: HTMLInputElement;
  total: HTMLInputElement;
  daily: HTMLInputElement;
  cpm: HTMLInputElement;
  priority: HTMLSelectElement;
  weight: HTMLInputElement;
  pacing: HTMLSelectElement;
  countries: HTMLInputElement;
  genres: HTMLInputElement;
  capCount: HTMLInputElement;
  capHours: HTMLInputElement;
  category: HTMLInputElement;
  domain: HTMLInputElement;
}

export function campaignFields(c: Campaign | null, now = Date.now()): CampaignFields {
  return { ...identity(c), ...flight(c, now), ...budget(c), ...targeting(c), ...limits(c) };
}

function identity(c: Campaign | null) {
  return {
    name: input({ type: "text", required: true, maxlength: 200, value: c?.name ?? "" }),
    status: select(
      [
        ["active", "Active"],
        ["paused", "Paused"],
      ],
      c?.status ?? "active",
    ),
    category: input({ type: "text", maxlength: 64, value: c?.category ?? "" }),
    domain: input({ type: "text", value: c?.advertiser_domain ?? "", placeholder: "brand.example" }),
  };
}

function flight(c: Campaign | null, now: number) {
  return {
    start: input({
      type: "datetime-local",
      required: true,
      value: toLocalInput(c?.flight_start ?? new Date(now).toISOString()),
    }),
    end: input({
      type: "datetime-local",
      required: true,
      value: toLocalInput(c?.flight_end ?? new Date(now + 30 * DAY).toISOString()),
    }),
  };
}

function budget(c: Campaign | null) {
  return {
    total: input({
      type: "text",
      inputmode: "decimal",
      required: true,
      value: c ? fromMinor(c.total_budget_minor) : "500.00",
    }),
    daily: input({
      type: "text",
      inputmode: "decimal",
      value: c?.daily_budget_minor != null ? fromMinor(c.daily_budget_minor) : "",
    }),
    cpm: input({ type: "text", inputmode: "decimal", required: true, value: c ? fromMinor(c.cpm_minor) : "25.00" }),
    priority: select(
      PRIORITIES.map((p) => [p, p[0]!.toUpperCase() + p.slice(1)]),
      c?.priority ?? "standard",
    ),
    weight: input({ type: "number", min: 1, max: 100, step: 1, required: true, value: c?.weight ?? 1 }),
    pacing: select(
      PACING.map((p) => [p, { even: "Even", front_loaded: "Front-loaded", asap: "As fast as possible" }[p]]),
      c?.pacing ?? "even",
    ),
  };
}

function targeting(c: Campaign | null) {
  return {
    countries: input({
      type: "text",
      value: c?.targeting.countries.join(", ") ?? "",
      placeholder: "e.g. US, DE (empty = all)",
    }),
    genres: input({ type: "text", value: c?.targeting.genres.join(", ") ?? "", placeholder: "empty = all" }),
  };
}

function limits(c: Campaign | null) {
  const cap = c?.frequency_caps[0];
  return {
    capCount: input({ type: "number", min: 0, max: 1000, step: 1, value: cap?.count ?? 3 }),
    capHours: input({
      type: "number",
      min: 1,
      max: 720,
      step: 1,
      value: cap ? Math.round(cap.window_seconds / 3600) : 24,
    }),
  };
}
