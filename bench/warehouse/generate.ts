/**
 * Generates the dashboard benchmark's history inside the engine (SQL over a number sequence, no round trips): plays of
 * sessions of 3 events over 200,000 listeners, 5,000 tracks and the last 60 days, plus QoE samples and ad events in
 * proportion. Written per engine because the sequence source and integer division differ; the rows match the
 * warehouse's tables exactly.
 */
import type { WarehouseEngine } from "@cadence/origin/src/warehouse/engine";

const DAY = 86_400_000;
const CHUNK = Number(process.env.BENCH_CHUNK ?? 2_000_000);

export async function generateHistory(engine: WarehouseEngine, plays: number, now = Date.now()): Promise<void> {
  const ch = engine.name === "clickhouse";
  // In chunks of CHUNK rows, so no single statement runs for minutes on a busy machine.
  let offset = 0;
  const seq = (n: number) => (ch ? `numbers(${offset}, ${n})` : `range(${offset}, ${offset + n}) t(number)`);
  const div = (a: string, b: number) => (ch ? `intDiv(${a}, ${b})` : `(${a}) // ${b}`);
  const str = (x: string) => (ch ? `toString(${x})` : `CAST(${x} AS VARCHAR)`);
  const nul = (type: "s" | "i") =>
    ch ? (type === "s" ? "CAST(NULL AS Nullable(String))" : "CAST(NULL AS Nullable(Int64))") : "NULL";
  const start = now - 60 * DAY;
  const session = div("number", 3);
  const user = `(${session} * 7919) % 200000`;
  const ts = `${start} + (${session} * 5184) % ${60 * DAY} + (number % 3) * 60000`;
  const pick = (expr: string, values: string[]) =>
    `CASE ${values
      .slice(0, -1)
      .map((v, i) => `WHEN (${expr}) % ${values.length} = ${i} THEN '${v}'`)
      .join(" ")} ELSE '${values[values.length - 1]}' END`;
  const countries = ["US", "DE", "GB", "FR", "BR", "SE", "JP"];
  const edge = (u: string, t: string) =>
    [
      `concat('acc_', ${str(u)})`,
      pick(u, ["free", "free", "premium", "hifi"]),
      pick(u, countries),
      pick(u, countries),
      "'FRA'",
      "3320",
      t,
      t,
      "''",
      "'req_bench'",
      "'batch_bench'",
      t,
    ].join(", ");
  const chunked = async (total: number, statement: (n: number) => string) => {
    for (offset = 0; offset < total; offset += CHUNK) await engine.exec(statement(Math.min(CHUNK, total - offset)));
  };
  await chunked(
    plays,
    (n) =>
      `INSERT INTO plays SELECT concat('p', ${str("number")}), ${pick("number", ["play_start", "play_progress", "play_end"])}, ` +
      `concat('s', ${str(session)}), concat('trk_', ${str(`(${session} * 31) % 5000`)}), ${nul("s")}, ` +
      `(number * 7919) % 240000, ${nul("i")}, ${nul("s")}, ${nul("i")}, ${nul("i")}, 0, ${edge(user, ts)} FROM ${seq(n)}`,
  );
  const samples = Math.floor(plays / 5);
  await chunked(
    samples,
    (n) =>
      `INSERT INTO qoe_samples SELECT concat('q', ${str("number")}), 'qoe_segment', concat('s', ${str("number * 3")}), ` +
      `${nul("s")}, ${pick("number", ["cloudflare", "akamai", "cloudfront"])}, 'aac-256', ${nul("s")}, 192000 + number % 1000, 30, 90, 200, ${nul("s")}, ` +
      `${edge(`(number * 7919) % 200000`, `${start} + (number * 25920) % ${60 * DAY}`)} FROM ${seq(n)}`,
  );
  const ads = Math.floor(plays / 20);
  await chunked(
    ads,
    (n) =>
      `INSERT INTO ad_events SELECT concat('a', ${str("number")}), 'ad_impression', ${pick("number", ["impression", "impression", "impression", "complete", "notUsed"])}, ` +
      `concat('s', ${str("number * 3")}), concat('srv', ${str("number")}), concat('cmp_', ${str("number % 20")}), 'crv_1', ${nul("s")}, ${nul("s")}, ${nul("i")}, ` +
      `${edge(`(number * 7919) % 200000`, `${start} + (number * 103680) % ${60 * DAY}`)} FROM ${seq(n)}`,
  );
}
