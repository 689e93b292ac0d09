/**
 * The music industry's identifiers and their check rules: ISRC (recordings, form only: it has no check digit),
 * ICPN (UPC-A / EAN-13 release barcodes, GS1 mod-10 check digit) and ISWC (musical works, its own weighted check
 * digit). Each checker returns the normalised identifier or a sentence saying what is wrong.
 */
export type IdCheck = { ok: true; value: string } | { ok: false; problem: string };

/** ISRC `CC-XXX-YY-NNNNN`: 12 characters once hyphens are stripped, upper-cased. */
export function checkIsrc(raw: string): IdCheck {
  const value = raw.replace(/-/g, "").toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/.test(value)) {
    return {
      ok: false,
      problem: `"${raw}" is not an ISRC: expected 2 letters (country), 3 letters or digits (registrant), 2 digits (year) and 5 digits.`,
    };
  }
  return { ok: true, value };
}

/** GS1 mod-10 check digit of the digits before it (weights 3,1,3,... from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * ICPN: a UPC-A (12 digits), EAN-13 (13) or GTIN-14 (14) with a valid GS1 check digit, stored in one form, the
 * 13-digit GTIN-13: a UPC-A gains its leading zero, a GTIN-14 loses its packaging indicator when that is 0 (the same
 * product; labels' systems often pad to 14). A GTIN-14 with another indicator names a case of products, not a release.
 */
export function checkIcpn(raw: string): IdCheck {
  const value = raw.trim();
  if (!/^\d{12,14}$/.test(value)) {
    return {
      ok: false,
      problem: `"${raw}" is not an ICPN: expected 12 (UPC-A), 13 (EAN-13) or 14 (GTIN-14) digits.`,
    };
  }
  const expected = gs1CheckDigit(value.slice(0, -1));
  if (Number(value.at(-1)) !== expected) {
    return { ok: false, problem: `ICPN "${raw}" has check digit ${value.at(-1)}; the GS1 check digit is ${expected}.` };
  }
  if (value.length === 14 && value[0] !== "0") {
    return {
      ok: false,
      problem: `"${raw}" is a GTIN-14 with packaging indicator ${value[0]} (a case of products); a release's ICPN is a GTIN-14 starting with 0, an EAN-13 or a UPC-A.`,
    };
  }
  return { ok: true, value: value.padStart(14, "0").slice(1) };
}

/** ISWC check digit: C = (10 - (1 + sum(i * d_i)) mod 10) mod 10 over the nine digits. */
export function iswcCheckDigit(nineDigits: string): number {
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(nineDigits[i]);
  return (10 - (sum % 10)) % 10;
}

/** ISWC `T-034.524.680-1` (separators optional), normalised to `T0345246801`. */
export function checkIswc(raw: string): IdCheck {
  const value = raw.replace(/[-.\s]/g, "").toUpperCase();
  if (!/^T\d{10}$/.test(value)) {
    return { ok: false, problem: `"${raw}" is not an ISWC: expected T followed by 9 digits and a check digit.` };
  }
  const expected = iswcCheckDigit(value.slice(1, 10));
  if (Number(value[10]) !== expected) {
    return { ok: false, problem: `ISWC "${raw}" has check digit ${value[10]}; the ISWC check digit is ${expected}.` };
  }
  return { ok: true, value };
}

/** ISO 8601 duration (`PT3M25.5S`, `P0DT0H4M1S`) in ms, or undefined when it is not one. */
export function parseIsoDuration(raw: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    raw.trim(),
  );
  if (!m || raw.trim() === "P" || raw.trim().endsWith("T")) return undefined;
  const [, d, h, min, s] = m;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return Math.round(ms);
}
