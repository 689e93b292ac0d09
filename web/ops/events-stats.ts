/**
 * The events pipeline at a glance (`GET /v1/ops/events/stats`): what the edge accepted, what landed at the origin,
 * what is in flight, what was refused and why, qualified streams, and whether `accepted = stored + duplicates at the
 * origin + in flight` holds right now.
 */
import { describeError } from "../common/api";
import type { AuthSession } from "../common/auth";
import { h, render } from "../common/dom";
import { number } from "../common/format";

interface EventsStats {
  accepted: number;
  duplicates: number;
  stored: number;
  stored_by_type: Record<string, number>;
  in_flight: number;
  failed: { rejected_at_edge: number; by_reason: Record<string, number> };
  reconciliation: { holds: boolean; formula: string };
  qualified_streams: { total: number; from: string; to: string };
}

export async function renderEventsStats(auth: AuthSession, container: HTMLElement): Promise<void> {
  let stats: EventsStats;
  try {
    stats = await auth.json<EventsStats>("/v1/ops/events/stats?limit=10");
  } catch (err) {
    render(container, h("p", { class: "form-error" }, `Events counts unavailable: ${describeError(err)}`));
    return;
  }
  const cells: Array<[string, string]> = [
    ["Accepted at the edge", number(stats.accepted)],
    ["Stored at the origin", number(stats.stored)],
    ["In flight", number(stats.in_flight)],
    ["Duplicates", number(stats.duplicates)],
    ["Refused", number(stats.failed.rejected_at_edge)],
    [
      `Qualified streams (${stats.qualified_streams.from} – ${stats.qualified_streams.to})`,
      number(stats.qualified_streams.total),
    ],
  ];
  const types = Object.entries(stats.stored_by_type).sort(([a], [b]) => a.localeCompare(b));
  render(
    container,
    h(
      "dl",
      { class: "stream-info" },
      cells.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))),
    ),
    h(
      "p",
      { class: stats.reconciliation.holds ? "form-ok" : "warning" },
      stats.reconciliation.holds ? "Reconciled: " : "Not reconciled: ",
      h("code", {}, stats.reconciliation.formula),
    ),
    types.length > 0
      ? h("p", { class: "hint" }, "Stored by type: ", types.map(([t, n]) => `${t} ${number(n)}`).join(" · "))
      : null,
  );
}
