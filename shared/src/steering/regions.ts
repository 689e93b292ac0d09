/**
 * Regions steering knows: ISO 3166-1 alpha-2 countries and the continent codes Cloudflare puts in `request.cf`
 * (AF, AN, AS, EU, NA, OC, SA). Measurements, prices and overrides are kept per country with the continent as
 * fallback, then `default`; `regionChain` is that order, used everywhere a per-region value is looked up.
 */
export const CONTINENTS = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"] as const;
export type Continent = (typeof CONTINENTS)[number];
export const DEFAULT_REGION = "default";

// ISO 3166-1 alpha-2 officially assigned codes (249), plus XK (Kosovo), which Cloudflare reports.
const COUNTRY_CODES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO " +
    "FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE " +
    "JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO " +
    "MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW " +
    "PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM " +
    "TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK"
  ).split(" "),
);

export function isCountry(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

export function isContinent(code: string): code is Continent {
  return (CONTINENTS as readonly string[]).includes(code);
}

/**
 * A region key as ops write it: a country, a continent, or `default`. Countries and continents never collide
 * except NA (Namibia / North America) and AS (American Samoa / Asia): bare `NA` and `AS` mean the continents; the
 * countries are written `country:NA` and `country:AS`.
 */
export function isRegionKey(key: string): boolean {
  if (key === DEFAULT_REGION || isContinent(key)) return true;
  if (key.startsWith("country:")) return isCountry(key.slice(8));
  return isCountry(key);
}

/** The key a country is stored under (see isRegionKey). */
export function countryKey(country: string): string {
  return isContinent(country) ? `country:${country}` : country;
}

export interface ClientRegion {
  country: string;
  continent: string;
}

/** Most specific first: the country, its continent, then `default`. */
export function regionChain(region: ClientRegion): string[] {
  const chain: string[] = [];
  if (isCountry(region.country)) chain.push(countryKey(region.country));
  if (isContinent(region.continent)) chain.push(region.continent);
  chain.push(DEFAULT_REGION);
  return chain;
}
