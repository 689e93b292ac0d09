/**
 * The player's downloads: a "Download" button for each catalog track (premium and hifi), and the Downloads card that
 * lists what this browser holds for offline listening, with when each licence lapses, "Play offline" and "Remove".
 * Licences are renewed whenever the page is online (at start and on the `online` event); what the platform revoked
 * is deleted. Offline plays use their own media element, so they need no network at all.
 */
import type { WireEvent } from "@cadence/shared/events/schema";
import { h, render } from "../../common/dom";
import { type DownloadContext, type DownloadTrack, downloadTrack, renewDownloads } from "./downloads";
import { isLapsed, LicenceLapsed, playOffline } from "./offline-player";
import { type OfflinePlayReport, reportOfflinePlay } from "./offline-plays";
import type { OfflineStore } from "./offline-store";

export interface DownloadsPanel {
  /** The "Download" and "Download release" buttons of a catalog row (none for tiers without downloads). */
  downloadButtons(track: DownloadTrack, release?: { id: string; title: string }): HTMLElement[];
}

export function downloadsPanel(
  ctx: DownloadContext & { store: OfflineStore },
  elements: { list: HTMLElement; status: HTMLElement },
  hooks: { beforePlay: () => void; emit: (event: WireEvent) => void },
): DownloadsPanel {
  const audio = h("audio", { preload: "auto", id: "offline-audio" });
  document.body.append(audio);
  let playing: { destroy(): void } | undefined;
  let report: OfflinePlayReport | undefined;
  const say = (text: string) => {
    elements.status.textContent = text;
  };

  async function refresh(): Promise<void> {
    const licences = (await ctx.store.licences()).sort((a, b) => a.title.localeCompare(b.title));
    render(
      elements.list,
      licences.length === 0
        ? h("li", { class: "hint" }, "Nothing downloaded yet. Use “Download” on a track.")
        : licences.map((l) =>
            h(
              "li",
              { class: "queue-item download", "data-track-id": l.trackId },
              h("span", { class: "track-title" }, l.title),
              h("span", { class: "track-meta" }, `${l.artist} · ${l.rendition}`),
              h(
                "span",
                { class: `badge${isLapsed(l) ? " warning" : ""}`, "data-expires-at": l.expiresAt },
                `${isLapsed(l) ? "Licence lapsed" : "Offline until"} ${new Date(l.expiresAt).toLocaleDateString()}`,
              ),
              h(
                "button",
                {
                  type: "button",
                  class: "primary small",
                  "aria-label": `Play ${l.title} offline`,
                  onclick: () => void play(l.trackId, l.title),
                },
                "Play offline",
              ),
              h(
                "button",
                {
                  type: "button",
                  class: "secondary small",
                  "aria-label": `Remove the download of ${l.title}`,
                  onclick: async () => {
                    await ctx.store.remove(l.trackId);
                    say(`Removed ${l.title}.`);
                    await refresh();
                  },
                },
                "Remove",
              ),
            ),
          ),
    );
  }

  async function play(trackId: string, title: string): Promise<void> {
    hooks.beforePlay();
    report?.finish("stopped");
    playing?.destroy();
    try {
      playing = await playOffline(ctx.store, trackId, audio);
      const licence = await ctx.store.licence(trackId);
      if (licence?.sessionId) {
        report = reportOfflinePlay(
          audio,
          { sessionId: licence.sessionId, trackId, deviceId: ctx.deviceId },
          hooks.emit,
        );
      }
      say(`Playing ${title} from this device.`);
    } catch (err) {
      say(err instanceof LicenceLapsed ? err.message : `Could not play offline: ${String(err)}`);
      await refresh();
    }
  }

  async function renew(): Promise<void> {
    if (!navigator.onLine) return;
    try {
      const outcome = await renewDownloads(ctx);
      if (outcome.removed.length > 0) say(`${outcome.removed.length} download(s) removed: no longer licensed.`);
      else if (outcome.renewed > 0) say(`Licences renewed for ${outcome.renewed} download(s).`);
    } catch {
      // Offline or the platform unreachable: licences keep their current expiry; the next renewal tries again.
    }
    await refresh();
  }

  addEventListener("online", () => void renew());
  void refresh().then(renew);

  /** Downloads tracks one after another with progress in the status line; a failure stops the rest. */
  async function downloadAll(tracks: DownloadTrack[], what: string): Promise<void> {
    try {
      for (const [i, track] of tracks.entries()) {
        say(
          tracks.length > 1
            ? `Downloading ${what}: ${i + 1} of ${tracks.length} (${track.title})…`
            : `Downloading ${track.title}…`,
        );
        const licence = await downloadTrack(ctx, track);
        if (i === tracks.length - 1) {
          say(`${what} is on this device until ${new Date(licence.expiresAt).toLocaleDateString()}.`);
        }
      }
    } catch (err) {
      say(`Could not download ${what}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await refresh();
    }
  }

  const button = (label: string, aria: string, run: () => Promise<void>) =>
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        "aria-label": aria,
        onclick: async (event: Event) => {
          const target = event.currentTarget as HTMLButtonElement;
          target.disabled = true;
          await run();
          target.disabled = false;
        },
      },
      label,
    );

  return {
    downloadButtons(track, release) {
      const tier = ctx.auth.me?.tier;
      if (tier !== "premium" && tier !== "hifi") return [];
      const buttons = [
        button("Download", `Download ${track.title} for offline listening`, () => downloadAll([track], track.title)),
      ];
      if (release) {
        buttons.push(
          button("Download release", `Download release ${release.title} for offline listening`, async () => {
            const detail = await ctx.auth.json<{ title: string; tracks: DownloadTrack[] }>(
              `/v1/catalog/releases/${encodeURIComponent(release.id)}`,
            );
            await downloadAll(detail.tracks, detail.title);
          }),
        );
      }
      return buttons;
    },
  };
}
