/**
 * The signature on every lifecycle webhook: `x-cadence-signature: t=<epoch seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` with `LIFECYCLE_WEBHOOK_SECRET` (Stripe's scheme), beside the `Authorization: Bearer <api key>` that
 * Braze's REST API itself expects. A receiver (the local Braze stand-in, or a relay in front of Braze) checks both; a
 * signature older than five minutes is refused, so a captured request cannot be replayed later.
 */
import { fromHex, hex } from "@cadence/shared/trust/encoding";
import { hmacSign, hmacVerify } from "@cadence/shared/trust/hmac";

export const LIFECYCLE_SIGNATURE_HEADER = "x-cadence-signature";
const TOLERANCE_SECONDS = 300;

export async function signLifecycleBody(secret: string, body: string, now = Date.now()): Promise<string> {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${hex(await hmacSign(secret, `${t}.${body}`))}`;
}

export async function verifyLifecycleSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now = Date.now(),
): Promise<{ ok: true } | { ok: false; detail: string }> {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1 ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1))
    return { ok: false, detail: "signature missing or malformed" };
  if (Math.abs(now / 1000 - t) > TOLERANCE_SECONDS) return { ok: false, detail: "signature too old" };
  const mac = fromHex(v1);
  if (!mac) return { ok: false, detail: "signature missing or malformed" };
  return (await hmacVerify(secret, `${t}.${body}`, mac))
    ? { ok: true }
    : { ok: false, detail: "signature does not verify" };
}
