/**
 * The advertiser console (`/advertiser`, advertiser scope; ops see every advertiser): campaigns with their pacing
 * status, create and edit, upload a creative and hear what the platform made of it (loudness-normalised AAC served by
 * the ads worker, the same file listeners get), and per-day delivery and spend charts from the campaign report.
 */
import { describeError } from "../common/api";
import { AuthSession, type Me, scopesOf } from "../common/auth";
import { columnChart } from "../common/chart";
import type { WebConfig } from "../common/config";
import { startConsole } from "../common/console";
import { announce, byId, h, render } from "../common/dom";
import { dateTime, money, number } from "../common/format";
import { type Campaign, type CampaignReport, type Creative, PACING_LABEL } from "./api";
import { campaignForm } from "./campaign-form";

const auth = new AuthSession("cadence.auth.advertiser");
let creatives: Creative[] = [];
let adsUrl = "";

const canAdvertise = (me: Me) =>
  scopesOf(me).some((s) => s === "ops" || s.startsWith("advertiser:"))
    ? null
    : "This account has no advertiser access. Sign in as advertiser@demo.test (or an ops account).";

function signedIn(_me: Me, config: WebConfig): void {
  adsUrl = config.ads_url;
  byId("new-campaign").addEventListener("click", () => openEditor(null));
  wireUpload();
  void refresh();
}

async function refresh(selectId?: string): Promise<void> {
  const status = byId("campaigns-status");
  status.textContent = "Loading campaigns…";
  try {
    const [campaignList, creativeList] = await Promise.all([
      auth.json<{ campaigns: Campaign[] }>("/v1/advertiser/campaigns"),
      auth.json<{ creatives: Creative[] }>("/v1/advertiser/creatives"),
    ]);
    creatives = creativeList.creatives;
    renderCreatives();
    const reports = await Promise.all(
      campaignList.campaigns.map((c) =>
        auth.json<CampaignReport>(`/v1/advertiser/campaigns/${c.id}/report`).catch(() => null),
      ),
    );
    renderCampaigns(campaignList.campaigns, reports);
    status.textContent = `${campaignList.campaigns.length} campaign${campaignList.campaigns.length === 1 ? "" : "s"}.`;
    const selected = campaignList.campaigns.find((c) => c.id === selectId) ?? campaignList.campaigns[0];
    const report = reports[campaignList.campaigns.indexOf(selected!)];
    if (selected && report) renderReport(selected, report);
  } catch (err) {
    status.textContent = `Could not load campaigns: ${describeError(err)}`;
  }
}

function renderCampaigns(campaigns: Campaign[], reports: Array<CampaignReport | null>): void {
  const rows = campaigns.map((c, i) => {
    const report = reports[i];
    const pace = report?.delivery.pacing_status ?? null;
    return h(
      "tr",
      { "data-campaign-id": c.id },
      h("th", { scope: "row" }, c.name),
      h("td", {}, h("span", { class: `badge status-${c.status}` }, c.status)),
      h("td", {}, pace ? h("span", { class: `badge pace-${pace}` }, PACING_LABEL[pace]) : "not live"),
      h("td", { class: "num" }, money(c.total_budget_minor, c.currency)),
      h("td", { class: "num" }, report ? money(report.delivery.spent_minor, c.currency) : "—"),
      h("td", { class: "num" }, report ? number(report.totals.impressions) : "—"),
      h("td", {}, `${dateTime(c.flight_start)} – ${dateTime(c.flight_end)}`),
      h(
        "td",
        {},
        h(
          "div",
          { class: "controls" },
          h(
            "button",
            { type: "button", class: "secondary small", "aria-label": `Edit ${c.name}`, onclick: () => openEditor(c) },
            "Edit",
          ),
          h(
            "button",
            {
              type: "button",
              class: "secondary small",
              "aria-label": `Show the report of ${c.name}`,
              onclick: () => (report ? renderReport(c, report) : undefined),
            },
            "Report",
          ),
        ),
      ),
    );
  });
  render(
    byId("campaigns"),
    campaigns.length === 0
      ? h("p", { class: "hint" }, "No campaigns yet.")
      : h(
          "div",
          { class: "table-scroll", tabindex: 0, role: "region", "aria-label": "Campaigns" },
          h(
            "table",
            {},
            h("caption", { class: "visually-hidden" }, "Your campaigns"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Campaign", "Status", "Pacing", "Budget", "Spent", "Impressions", "Flight", "Actions"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h("tbody", {}, rows),
          ),
        ),
  );
}

function openEditor(campaign: Campaign | null): void {
  const editor = byId("editor");
  editor.hidden = false;
  render(
    editor,
    campaignForm({
      auth,
      campaign,
      creatives,
      onSaved: (saved) => {
        editor.hidden = true;
        announce(`Campaign ${saved.name} saved.`);
        void refresh(saved.id);
      },
      onCancel: () => {
        editor.hidden = true;
        byId("new-campaign").focus();
      },
    }),
  );
  editor.querySelector<HTMLInputElement>("input")?.focus();
}

function renderReport(campaign: Campaign, report: CampaignReport): void {
  const section = byId("report");
  const label = (date: string) => date.slice(5);
  render(
    section,
    h("h2", { id: "report-heading" }, `Delivery: ${campaign.name}`),
    h(
      "p",
      {},
      `${report.from} to ${report.to} · spent ${money(report.delivery.spent_minor, report.currency)} of `,
      `${money(report.delivery.total_budget_minor, report.currency)}`,
      report.delivery.daily_budget_minor !== null
        ? ` · today ${money(report.delivery.spent_today_minor, report.currency)} of ${money(report.delivery.daily_budget_minor, report.currency)}`
        : "",
      report.delivery.pacing_status ? ` · ${PACING_LABEL[report.delivery.pacing_status]}` : "",
    ),
    h(
      "div",
      { class: "console-layout" },
      columnChart({
        title: "Impressions per day",
        columns: report.days.map((d) => ({ label: label(d.date), value: d.impressions })),
        color: "#0072B2",
        format: (v) => number(v),
      }),
      columnChart({
        title: "Spend per day",
        columns: report.days.map((d) => ({ label: label(d.date), value: d.spend_minor })),
        color: "#D55E00",
        format: (v) => money(Math.round(v), report.currency),
      }),
    ),
    h(
      "dl",
      { class: "stream-info" },
      (
        [
          ["Ads served", report.totals.served],
          ["Impressions", report.totals.impressions],
          ["Started", report.totals.starts],
          ["25% heard", report.totals.first_quartiles],
          ["50% heard", report.totals.midpoints],
          ["75% heard", report.totals.third_quartiles],
          ["Completed", report.totals.completes],
        ] as Array<[string, number]>
      ).map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, number(v)))),
    ),
  );
}

function renderCreatives(): void {
  render(
    byId("creatives"),
    creatives.length === 0
      ? h("p", { class: "hint" }, "No creatives yet.")
      : h(
          "ul",
          { class: "tracks" },
          creatives.map((cr) => {
            const file = cr.media.renditions[0];
            return h(
              "li",
              { class: "track", "data-creative-id": cr.id },
              h(
                "div",
                { class: "track-text" },
                h("span", { class: "track-title" }, cr.name),
                h(
                  "span",
                  { class: "track-meta" },
                  `${Math.round(cr.duration_ms / 1000)} s · ${cr.loudness_lufs.toFixed(1)} LUFS (was ${cr.source_loudness_lufs.toFixed(1)}) · ` +
                    `peak ${cr.true_peak_dbtp.toFixed(1)} dBTP · ${cr.universal_ad_id.value}`,
                ),
              ),
              file
                ? h("audio", {
                    controls: true,
                    preload: "none",
                    src: `${adsUrl}/v1/ads/media/${cr.media.path}/${file.file}`,
                    "aria-label": `Listen to ${cr.name}`,
                  })
                : null,
            );
          }),
        ),
  );
}

function wireUpload(): void {
  const form = byId<HTMLFormElement>("upload-form");
  const status = byId("upload-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = byId<HTMLInputElement>("creative-file").files?.[0];
    const name = byId<HTMLInputElement>("creative-name").value.trim() || file?.name.replace(/\.[^.]+$/, "") || "";
    if (!file) {
      status.textContent = "Choose an audio file (15 or 30 seconds) first.";
      return;
    }
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    status.textContent = `Uploading ${file.name}; the platform transcodes and loudness-normalises it…`;
    try {
      const creative = await auth.json<Creative>(`/v1/advertiser/creatives?${new URLSearchParams({ name })}`, {
        method: "POST",
        headers: { "content-type": file.type || "application/octet-stream" },
        body: file,
      });
      status.textContent = `Uploaded “${creative.name}” (${Math.round(creative.duration_ms / 1000)} s). Attach it to a campaign.`;
      form.reset();
      await refresh();
    } catch (err) {
      status.textContent = `Upload refused: ${describeError(err)}`;
    } finally {
      if (button) button.disabled = false;
    }
  });
}

void startConsole({
  auth,
  heading: "Sign in to the advertiser console",
  demoAccounts: [{ email: "advertiser@demo.test", label: "Demo advertiser" }],
  refuse: canAdvertise,
  onSignedIn: signedIn,
}).catch((err: unknown) => {
  byId("campaigns-status").textContent = `The console could not start: ${describeError(err)}`;
});
