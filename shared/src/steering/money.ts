/**
 * Prices per GB arrive as decimal strings ("0.0085" USD) because money is never a float here; the engine works in
 * integer micro-units (millionths of the currency unit) per GB, which holds every CDN price exactly and lets costs be
 * summed as integers. Six decimal places is the finest price any CDN quotes per GB.
 */
export const MICROS_PER_UNIT = 1_000_000;
const DECIMAL = /^(0|[1-9]\d{0,5})(?:\.(\d{1,6}))?$/;

/** "0.0085" -> 8500. Returns undefined for anything that is not a non-negative decimal with at most 6 places. */
export function decimalToMicros(value: string): number | undefined {
  const match = DECIMAL.exec(value);
  if (!match) return undefined;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(6, "0"));
  return whole * MICROS_PER_UNIT + fraction;
}

/** 8500 -> "0.0085": the shortest decimal string for an integer amount of micro-units. */
export function microsToDecimal(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer amount of micros: ${micros}`);
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/**
 * Cost in micro-units of `bytes` at `microsPerGb` (GB = 10^9 bytes, as CDNs bill), exact with BigInt and rounded
 * half up to a whole micro-unit.
 */
export function costMicros(bytes: number, microsPerGb: number): bigint {
  const product = BigInt(Math.round(bytes)) * BigInt(microsPerGb);
  return (product + 500_000_000n) / 1_000_000_000n;
}
