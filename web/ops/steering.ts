/**
 * Steering for one client region, as the edge decides it right now (`GET /v1/ops/steering/state`): each CDN's share
 * of new sessions and its score with the parts and reasons behind it, cost per GB and commit use, and the measured
 * time to first byte, throughput and availability. The console samples the state every few seconds and draws those
 * measurements as time series, so an operator watching a CDN degrade sees the lines move and the shares follow.
 */
import { describeError } from "../common/api";
import type { AuthSession } from "../common/auth";
import { barChart, lineChart, type Series } from "../common/chart";
import { cdnStyle } from "../common/config";
import { byId, h, render } from "../common/dom";
import { bitrate, number, percent } from "../common/format";
import { settingsPanel } from "./settings/panel";
import {
  type AuditEntry,
  CDNS,
  type Cdn,
  type CdnMeasure,
  type QualityAnswer,
  REGIONS,
  type SteeringConfig,
  type SteeringState,
} from "./steering-api";

const MAX_POINTS = 180;

interface Sample {
  at: number;
  state: SteeringState;
  /** Measured quality of the region (its country's, else its continent's), even below steering's sample minimum. */
  measured: Partial<Record<Cdn, CdnMeasure>>;
  basis: string;
}

export function steeringPanel(auth: AuthSession): { refresh: () => Promise<void> } {
  const samples = new Map<string, Sample[]>();
  let region = REGIONS[0]!;
  let configVersion = -1;
  // The forms are filled once and re-filled only when a save learns that someone else changed steering meanwhile
  // (412): a background refresh never wipes what an operator is typing.
  let refillForms = true;

  const select = byId<HTMLSelectElement>("region");
  render(
    select,
    REGIONS.map((r) => h("option", { value: r.country }, `${r.name} (${r.country}, ${r.continent})`)),
  );
  byId("region-form").addEventListener("submit", (event) => {
    event.preventDefault();
    region = REGIONS.find((r) => r.country === select.value) ?? region;
    void refresh();
  });
  select.addEventListener("change", () => {
    region = REGIONS.find((r) => r.country === select.value) ?? region;
    void refresh();
  });

  const settings = settingsPanel(auth, byId("settings"), {
    saved: () => void refresh(),
    stale: () => {
      refillForms = true;
      void refresh();
    },
  });

  async function refresh(): Promise<void> {
    const status = byId("steering-status");
    try {
      const query = new URLSearchParams({ country: region.country, continent: region.continent });
      const [state, latest, quality] = await Promise.all([
        auth.json<SteeringState>(`/v1/ops/steering/state?${query}`),
        auth.json<SteeringConfig>("/v1/ops/steering"),
        auth.json<QualityAnswer>("/v1/ops/steering/quality"),
      ]);
      const own =
        quality.regions.find((r) => r.region === `country:${region.country}`) ??
        quality.regions.find((r) => r.region === `continent:${region.continent}`);
      const series = samples.get(region.country) ?? [];
      series.push({ at: Date.now(), state, measured: own?.cdns ?? {}, basis: own?.region ?? "" });
      if (series.length > MAX_POINTS) series.shift();
      samples.set(region.country, series);
      renderShares(state);
      renderCost(state, latest);
      renderQuality(series);
      if (refillForms) {
        refillForms = false;
        settings.show(latest, region.country);
      }
      if (latest.version !== configVersion) {
        configVersion = latest.version;
        await renderAudit(auth);
      }
      status.textContent = `${region.name}: ${state.mode} steering, config version ${state.config_version}, resolved through ${state.region.chain.join(" → ")}.`;
    } catch (err) {
      status.textContent = `Steering state unavailable: ${describeError(err)}`;
    }
  }

  return { refresh };
}

function renderShares(state: SteeringState): void {
  const rows = [...state.scores].sort((a, b) => b.sharePercent - a.sharePercent);
  render(
    byId("shares"),
    barChart({
      title: "Share of new sessions",
      bars: rows.map((s) => ({
        label: cdnStyle(s.cdn).label,
        value: s.sharePercent,
        color: cdnStyle(s.cdn).color,
        note: s.status === "eligible" ? undefined : s.status,
      })),
      format: (v) => `${number(v, 1)}%`,
      max: 100,
    }),
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "Scores per CDN" },
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden" }, "Scores per CDN, lower is better"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["CDN", "Status", "Score", "Cost part", "Latency part", "Errors part"].map((t) =>
              h("th", { scope: "col" }, t),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((s) =>
            h(
              "tr",
              { "data-cdn": s.cdn },
              h("th", { scope: "row" }, cdnStyle(s.cdn).label),
              h("td", {}, s.status),
              h("td", { class: "num" }, s.score === undefined ? "—" : number(s.score, 3)),
              h("td", { class: "num" }, number(s.parts.cost, 3)),
              h("td", { class: "num" }, number(s.parts.latency, 3)),
              h("td", { class: "num" }, number(s.parts.errors, 3)),
            ),
          ),
        ),
      ),
    ),
    h("h3", {}, "Why"),
    h(
      "dl",
      { class: "why" },
      rows.flatMap((s) => [
        h("dt", {}, cdnStyle(s.cdn).label),
        h(
          "dd",
          {},
          h(
            "ul",
            { class: "reasons" },
            s.reasons.map((r) => h("li", {}, r)),
          ),
        ),
      ]),
    ),
  );
}

function renderCost(state: SteeringState, config: SteeringConfig): void {
  const perGb = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}/GB`;
  const commitBars = CDNS.flatMap((cdn) => {
    const commit = config.commits[cdn];
    if (!commit) return [];
    const usedGb = (state.usage.bytes[cdn] ?? 0) / 1e9;
    return [
      {
        label: cdnStyle(cdn).label,
        value: usedGb / commit.volumeGb,
        color: cdnStyle(cdn).color,
        note: `${number(usedGb, 3)} of ${number(commit.volumeGb)} GB`,
      },
    ];
  });
  render(
    byId("cost"),
    barChart({
      title: "What one more GB costs now",
      bars: state.scores.map((s) => ({
        label: cdnStyle(s.cdn).label,
        value: s.cost.marginalMicrosPerGb,
        color: cdnStyle(s.cdn).color,
        note: s.cost.basis,
      })),
      format: perGb,
    }),
    h(
      "ul",
      { class: "reasons" },
      state.scores.map((s) =>
        h("li", {}, `${cdnStyle(s.cdn).label}: list ${perGb(s.cost.listMicrosPerGb)}; ${s.cost.detail}`),
      ),
    ),
    commitBars.length > 0
      ? barChart({ title: `Commit use, ${state.usage.month}`, bars: commitBars, format: (v) => percent(v, 1), max: 1 })
      : h("p", { class: "hint" }, "No CDN has a monthly commit; every GB is bought at list price."),
  );
}

function renderQuality(series: Sample[]): void {
  const line = (pick: (m: CdnMeasure) => number | undefined) =>
    CDNS.map((cdn): Series => {
      const style = cdnStyle(cdn);
      const points: Array<[number, number]> = [];
      for (const sample of series) {
        const measure = sample.measured[cdn];
        const value = measure && measure.samples > 0 ? pick(measure) : undefined;
        if (value !== undefined && Number.isFinite(value)) points.push([sample.at, value]);
      }
      const samples = series.at(-1)?.measured[cdn]?.samples;
      const name = samples ? `${style.label} (${number(samples, 0)} samples)` : style.label;
      return { name, color: style.color, dash: style.dash, points };
    });
  const shares = CDNS.map((cdn): Series => {
    const style = cdnStyle(cdn);
    const points = series.flatMap((sample): Array<[number, number]> => {
      const score = sample.state.scores.find((s) => s.cdn === cdn);
      return score ? [[sample.at, score.sharePercent]] : [];
    });
    return { name: style.label, color: style.color, dash: style.dash, points };
  });
  const basis = series.at(-1)?.basis;
  const empty = "No measurements yet: play something, or wait for the probes.";
  render(
    byId("quality"),
    lineChart({
      title: `Time to first byte${basis ? ` (${basis.replace(":", " ")})` : ""}`,
      series: line((m) => m.ttfbMs),
      format: (v) => `${Math.round(v)} ms`,
      empty,
    }),
    lineChart({ title: "Throughput", series: line((m) => m.throughputBps), format: (v) => bitrate(v), empty }),
    lineChart({
      title: "Availability",
      series: line((m) => m.availability),
      format: (v) => percent(v, 1),
      yMin: 0,
      yMax: 1,
      empty,
    }),
    lineChart({
      title: "Share of new sessions",
      series: shares,
      format: (v) => `${Math.round(v)}%`,
      yMin: 0,
      yMax: 100,
    }),
  );
}

async function renderAudit(auth: AuthSession): Promise<void> {
  const container = byId("audit");
  let entries: AuditEntry[];
  try {
    entries = (await auth.json<{ entries: AuditEntry[] }>("/v1/ops/steering/audit?limit=20")).entries;
  } catch (err) {
    render(container, h("p", { class: "form-error" }, `Audit log unavailable: ${describeError(err)}`));
    return;
  }
  const show = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 157)}…` : text;
  };
  render(
    container,
    entries.length === 0
      ? h("p", { class: "hint" }, "No changes yet.")
      : h(
          "div",
          { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "Audit log" },
          h(
            "table",
            { id: "audit-table" },
            h("caption", { class: "visually-hidden" }, "Steering changes, newest first"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["When", "Who", "What", "Version", "Before", "After"].map((t) => h("th", { scope: "col" }, t)),
              ),
            ),
            h(
              "tbody",
              {},
              entries.map((e) =>
                h(
                  "tr",
                  {},
                  h("td", {}, new Date(e.at).toLocaleString("en-GB")),
                  h("td", {}, e.actor.email ?? e.actor.sub),
                  h("td", {}, e.action),
                  h("td", { class: "num" }, e.entityVersion ?? "—"),
                  h("td", {}, h("code", {}, show(e.old))),
                  h("td", {}, h("code", {}, show(e.new))),
                ),
              ),
            ),
          ),
        ),
  );
}
