/**
 * The leadership dashboard (`/ops/dashboard`, ops scope): plays, qualified streams and active listeners over time,
 * CDN egress cost per CDN and per 1,000 streams, ad impressions, fill and revenue, from `GET /v1/ops/dashboard` (the
 * warehouse, cached at the edge for a minute). A range picker (days, by day or month, one country or all) and a CSV
 * export of what is on screen. ARPU and churn say plainly that there is no revenue data until billing exists.
 */
import { describeError } from "../common/api";
import { AuthSession, type Me, scopesOf } from "../common/auth";
import { barChart, columnChart } from "../common/chart";
import { cdnStyle } from "../common/config";
import { byId, h, render } from "../common/dom";
import { money, number, percent } from "../common/format";
import { loginForm } from "../common/login";
import { type Dashboard, dashboardCsv } from "./csv";

const auth = new AuthSession("cadence.auth.ops");
const needsOps = (me: Me) =>
  scopesOf(me).includes("ops") ? null : "This account has no ops scope. Sign in as ops@demo.test.";

let current: Dashboard | undefined;

async function main(): Promise<void> {
  const me = await auth.restore();
  if (me && !needsOps(me)) signedIn(me);
  else {
    byId("app").hidden = true;
    render(
      byId("login-area"),
      loginForm({
        auth,
        heading: "Sign in to the dashboard",
        demoAccounts: [{ email: "ops@demo.test", label: "Ops" }],
        refuse: needsOps,
        onSignedIn: signedIn,
      }),
    );
  }
}

function signedIn(account: Me): void {
  render(byId("login-area"));
  byId("app").hidden = false;
  render(byId("account"), h("span", { class: "account-email" }, account.email ?? account.sub));
  const form = byId<HTMLFormElement>("range-form");
  const now = Date.now();
  const firstOfLastMonth = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - 1, 1));
  byId<HTMLInputElement>("from").value = firstOfLastMonth.toISOString().slice(0, 10);
  byId<HTMLInputElement>("to").value = new Date(now).toISOString().slice(0, 10);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  byId("csv").addEventListener("click", () => {
    if (!current) return;
    const blob = new Blob([dashboardCsv(current)], { type: "text/csv" });
    const link = h("a", {
      href: URL.createObjectURL(blob),
      download: `cadence-dashboard-${current.range.from}-${current.range.to}.csv`,
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  void load();
}

async function load(): Promise<void> {
  const params = new URLSearchParams({
    from: byId<HTMLInputElement>("from").value,
    to: byId<HTMLInputElement>("to").value,
    granularity: byId<HTMLSelectElement>("granularity").value,
  });
  const country = byId<HTMLInputElement>("country").value.trim().toUpperCase();
  if (country) params.set("country", country);
  const status = byId("status");
  status.textContent = "Loading…";
  try {
    current = await auth.json<Dashboard>(`/v1/ops/dashboard?${params}`);
  } catch (err) {
    status.textContent = `Dashboard unavailable: ${describeError(err)}`;
    return;
  }
  status.textContent = `${current.range.from} to ${current.range.to}${country ? ` in ${country}` : ""}, from the ${current.warehouse} warehouse.`;
  renderDashboard(current);
}

function renderDashboard(d: Dashboard): void {
  const s = d.summary;
  const label = (period: string) => (period.length > 7 ? period.slice(5) : period);
  const figures: Array<[string, string]> = [
    ["Plays", number(s.plays)],
    ["Qualified streams", number(s.qualified_streams)],
    ["Active listeners", number(s.active_listeners)],
    ["CDN egress", `${number(s.cdn_egress_gb, 1)} GB`],
    ["CDN cost", `$${s.cdn_cost}`],
    ["CDN cost / 1,000 streams", s.cdn_cost_per_1000_streams === null ? "—" : `$${s.cdn_cost_per_1000_streams}`],
    ["Ad impressions", number(s.ad_impressions)],
    ["Ad fill rate", s.ad_fill_rate === null ? "—" : percent(s.ad_fill_rate, 1)],
    ["Ad revenue", money(Number(s.ad_revenue_minor), d.currency)],
    ["ARPU", d.revenue.available ? "—" : d.revenue.reason],
    ["Churn", d.revenue.available ? "—" : d.revenue.reason],
  ];
  const costByCdn = new Map<string, number>();
  for (const e of d.cdn_egress) costByCdn.set(e.cdn, (costByCdn.get(e.cdn) ?? 0) + Number(e.cost));
  const gbByCountry = new Map<string, number>();
  for (const e of d.cdn_egress) gbByCountry.set(e.country, (gbByCountry.get(e.country) ?? 0) + e.gb);
  render(
    byId("dashboard"),
    h(
      "section",
      { class: "card wide", "aria-labelledby": "summary-heading" },
      h("h2", { id: "summary-heading" }, "Summary"),
      h(
        "dl",
        { class: "stream-info", id: "summary" },
        figures.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))),
      ),
    ),
    h(
      "section",
      { class: "card" },
      columnChart({
        title: "Plays",
        columns: d.periods.map((p) => ({ label: label(p.period), value: p.plays })),
        color: "#2563eb",
        format: (v) => number(v),
      }),
    ),
    h(
      "section",
      { class: "card" },
      columnChart({
        title: "Qualified streams (30 s or more)",
        columns: d.periods.map((p) => ({ label: label(p.period), value: p.qualified_streams })),
        color: "#7c3aed",
        format: (v) => number(v),
      }),
    ),
    h(
      "section",
      { class: "card" },
      columnChart({
        title: d.range.granularity === "day" ? "Daily active listeners" : "Monthly active listeners",
        columns: d.periods.map((p) => ({ label: label(p.period), value: p.active_listeners })),
        color: "#059669",
        format: (v) => number(v),
      }),
    ),
    h(
      "section",
      { class: "card" },
      barChart({
        title: "CDN cost by CDN (USD, list price)",
        bars: [...costByCdn].map(([cdn, cost]) => ({
          label: cdnStyle(cdn).label,
          value: cost,
          color: cdnStyle(cdn).color,
        })),
        format: (v) => `$${v.toFixed(2)}`,
      }),
      barChart({
        title: "CDN egress by country (GB)",
        bars: [...gbByCountry]
          .sort((a, b) => b[1] - a[1])
          .map(([country, gb]) => ({ label: country, value: gb, color: "#0891b2" })),
        format: (v) => number(v, 1),
      }),
    ),
    h(
      "section",
      { class: "card wide" },
      h("h2", {}, "By country and tier"),
      table(
        ["Period", "Country", "Tier", "Plays", "Qualified streams", "Active listeners"],
        d.by_country_tier.map((r) => [
          r.period,
          r.country,
          r.tier,
          number(r.plays),
          number(r.qualified_streams),
          number(r.active_listeners),
        ]),
      ),
    ),
    h(
      "section",
      { class: "card wide" },
      h("h2", {}, "Ads"),
      table(
        ["Period", "Campaign", "Impressions", "Completes", "Revenue"],
        d.ads.map((a) => [
          a.period,
          a.campaign_name ?? a.campaign_id,
          number(a.impressions),
          number(a.completes),
          money(Number(a.revenue_minor), d.currency),
        ]),
      ),
    ),
  );
}

function table(head: string[], rows: string[][]): HTMLElement {
  if (rows.length === 0) return h("p", { class: "chart-empty" }, "No data in this range.");
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))),
    ),
  );
}

void main();
