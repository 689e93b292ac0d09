/** A campaign the ads tests create through the api worker (the demo advertiser's, flying now). */
const day = 86_400_000;

export function campaignInput() {
  return {
    name: "Through the api worker",
    flight_start: new Date(Date.now() - day).toISOString(),
    flight_end: new Date(Date.now() + 7 * day).toISOString(),
    total_budget_minor: 50_000,
    cpm_minor: 1_500,
    targeting: { countries: ["SE"], tiers: ["free"], genres: [], dayparts: [], device_types: [] },
  };
}
