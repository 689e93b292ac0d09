/** How numbers read on screen: durations, bitrates, money in minor units, percentages, times of day. */

export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function bitrate(bitsPerSecond: number): string {
  if (!Number.isFinite(bitsPerSecond) || bitsPerSecond <= 0) return "—";
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(2)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1000)} kbit/s`;
}

/** Integer minor units to a currency string, e.g. 12345 USD -> "$123.45". */
export function money(minor: number, currency = "USD", fractionDigits = 2): string {
  return new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: fractionDigits }).format(
    minor / 10 ** fractionDigits,
  );
}

export function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`;
}

export function number(value: number, digits = 0): string {
  return new Intl.NumberFormat("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

export function time(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function dateTime(value: number | string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime())
    ? String(value)
    : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" });
}
