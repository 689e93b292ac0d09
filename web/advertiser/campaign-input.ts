/**
 * Reads the campaign form into the API's `CampaignInput`, catching a few obvious mistakes first with the same
 * presentation as the server's errors: an amount that is not money (parsed from the text into integer minor units,
 * never through floats), a missing date, a flight that ends before it starts, a campaign without a name.
 */
import { checkedValues, fromLocalInput, setFieldError, toMinor } from "../common/forms";
import type { Campaign, CampaignInput } from "./api";
import type { CampaignFields } from "./campaign-fields";

/** The input to send, or null when a field needs fixing (each such field is marked with its message). */
export function readCampaignInput(
  form: HTMLFormElement,
  f: CampaignFields,
  campaign: Campaign | null,
): CampaignInput | null {
  let ok = true;
  const money = (el: HTMLInputElement, path: string, optional = false): number | null => {
    const amount = readMoney(form, el, path, optional);
    if (!amount.ok) ok = false;
    return amount.minor;
  };
  const { flightStart, flightEnd, valid } = readFlight(form, f);
  ok &&= valid;
  const body: CampaignInput = {
    name: f.name.value.trim(),
    status: f.status.value as Campaign["status"],
    flight_start: flightStart ?? "",
    flight_end: flightEnd ?? "",
    total_budget_minor: money(f.total, "total_budget_minor") ?? 0,
    daily_budget_minor: money(f.daily, "daily_budget_minor", true),
    cpm_minor: money(f.cpm, "cpm_minor") ?? 0,
    priority: f.priority.value as Campaign["priority"],
    weight: Number(f.weight.value),
    pacing: f.pacing.value as Campaign["pacing"],
    targeting: {
      countries: listOf(f.countries.value).map((s) => s.toUpperCase()),
      tiers: checkedValues(form, "tiers"),
      genres: listOf(f.genres.value),
      dayparts: campaign?.targeting.dayparts ?? [],
      device_types: checkedValues(form, "device_types"),
    },
    frequency_caps: frequencyCaps(f),
    category: f.category.value.trim() || null,
    advertiser_domain: f.domain.value.trim(),
    creative_ids: checkedValues(form, "creative_ids"),
  };
  if (!body.name) {
    setFieldError(form, "name", "Give the campaign a name.");
    ok = false;
  }
  if (!body.advertiser_domain && !campaign) delete (body as Partial<CampaignInput>).advertiser_domain;
  return ok ? body : null;
}

/** A positive amount in minor units; an empty optional field is null and fine. */
function readMoney(
  form: HTMLFormElement,
  el: HTMLInputElement,
  path: string,
  optional: boolean,
): { minor: number | null; ok: boolean } {
  if (optional && el.value.trim() === "") return { minor: null, ok: true };
  const minor = toMinor(el.value);
  if (minor === null || minor <= 0) {
    setFieldError(form, path, "Enter a positive amount such as 250.00.");
    return { minor, ok: false };
  }
  return { minor, ok: true };
}

/** Both dates as ISO 8601, and whether they make a flight (both set, the end after the start). */
function readFlight(
  form: HTMLFormElement,
  f: Pick<CampaignFields, "start" | "end">,
): { flightStart: string | null; flightEnd: string | null; valid: boolean } {
  const flightStart = fromLocalInput(f.start.value);
  const flightEnd = fromLocalInput(f.end.value);
  if (!flightStart) setFieldError(form, "flight_start", "Pick a start date and time.");
  if (!flightEnd) setFieldError(form, "flight_end", "Pick an end date and time.");
  if (flightStart && flightEnd && flightEnd <= flightStart)
    setFieldError(form, "flight_end", "The flight must end after it starts.");
  return { flightStart, flightEnd, valid: !!flightStart && !!flightEnd && flightEnd > flightStart };
}

/** One cap of `count` ads per window, or none when the count is 0. */
function frequencyCaps(f: Pick<CampaignFields, "capCount" | "capHours">): CampaignInput["frequency_caps"] {
  return Number(f.capCount.value) > 0
    ? [{ count: Number(f.capCount.value), window_seconds: Number(f.capHours.value) * 3600 }]
    : [];
}

/** "US, de ," -> ["US", "de"]. */
function listOf(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
