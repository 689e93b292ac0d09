/**
 * The web player (`/` on the api worker): sign in as a listener, browse and search the catalog, play through the
 * platform's own playlists with a pre-buffered queue, see how the stream is delivered, hear ads on the free tier,
 * and send play, ad and QoE events to the ingest-events worker through a queue that survives network failures.
 */
import { AuthSession } from "../common/auth";
import { webConfig } from "../common/config";
import { renderAccount } from "../common/console";
import { announce, byId, h, render } from "../common/dom";
import { bitrate, duration } from "../common/format";
import { loginForm } from "../common/login";
import { adPosition } from "./ad-breaks";
import { catalogPanel } from "./catalog";
import { EventQueue, type QueueStats } from "./event-queue";
import { OfflineStore } from "./offline/offline-store";
import { downloadsPanel } from "./offline/panel";
import { PlayQueue } from "./queue";
import type { TrackPlayer } from "./track-player";

const auth = new AuthSession("cadence.auth.player");

async function main(): Promise<void> {
  const config = await webConfig();
  const me = await auth.restore();
  if (me) signedIn();
  else showLogin();

  function showLogin(): void {
    byId("app").hidden = true;
    render(byId("account"));
    render(
      byId("login-area"),
      loginForm({
        auth,
        heading: "Sign in to listen",
        demoAccounts: [
          { email: "free@demo.test", label: "Free listener (ads)" },
          { email: "premium@demo.test", label: "Premium listener" },
          { email: "hifi@demo.test", label: "HiFi listener" },
        ],
        onSignedIn: signedIn,
      }),
    );
    byId<HTMLInputElement>("login-email").focus();
  }

  function signedIn(): void {
    const account = auth.me!;
    render(byId("login-area"));
    byId("app").hidden = false;
    const events = new EventQueue(`cadence.events.${account.sub}`, `${config.events_url}/v1/events`, (url, init) =>
      auth.fetch(url, init),
    );
    // Development aids for demos and tests, ignored in production: pin the CDN pathways, buffer only a few seconds.
    const dev = config.environment !== "production" ? new URLSearchParams(location.search) : new URLSearchParams();
    const pinned = dev.get("pathways");
    const bufferSeconds = Number(dev.get("buffer")) || undefined;
    // Two media elements take turns, so the next track buffers on one while the other plays (no controls: the page's
    // own buttons drive them).
    const audios: [HTMLAudioElement, HTMLAudioElement] = [
      h("audio", { preload: "auto" }),
      h("audio", { preload: "auto" }),
    ];
    document.body.append(...audios);
    const queue = new PlayQueue(audios, () => ({
      playbackUrl: config.playback_url,
      deviceId: deviceId(),
      accessToken: () => auth.accessToken(),
      codecs: deviceCodecs(),
      pathways: pinned ?? undefined,
      bufferSeconds,
      emit: (event) => events.push(event),
    }));
    renderAccount(auth, account, {
      badge: h("span", { class: "badge", "data-tier": account.tier }, `${account.tier} · ${account.country}`),
      // Stop playing and send what the page still holds before the session ends.
      beforeSignOut: async () => {
        queue.stop("logout");
        await events.flush(true);
        events.stop();
      },
    });
    // Offline downloads (premium, hifi): kept per account in this browser's storage (offline/).
    const downloads = downloadsPanel(
      {
        auth,
        store: new OfflineStore(`cadence-offline-${account.sub}`),
        playbackUrl: config.playback_url,
        deviceId: deviceId(),
        codecs: deviceCodecs(),
      },
      { list: byId("downloads-list"), status: byId("downloads-status") },
      { beforePlay: () => queue.stop(), emit: (event) => events.push(event) },
    );
    const catalog = catalogPanel({
      auth,
      form: byId<HTMLFormElement>("search-form"),
      input: byId<HTMLInputElement>("search-input"),
      results: byId("results"),
      status: byId("results-status"),
      onPlay: (track) => {
        announce(`Playing ${track.title} by ${track.artist}`);
        void queue.playNow(track);
      },
      onQueue: (track) => {
        queue.add(track);
        announce(`${track.title} added to the queue`);
      },
      rowActions: (track, release) => downloads.downloadButtons(track, release),
    });
    void catalog.browse();
    wireControls(queue);
    let frame = 0;
    queue.addEventListener("change", () => {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          renderNowPlaying(queue);
        });
      }
    });
    renderNowPlaying(queue);
    events.onChange(renderEventStats);
    events.start();
    byId("send-events").addEventListener("click", () => void events.flush(true));
  }
}

function wireControls(queue: PlayQueue): void {
  const toggle = byId<HTMLButtonElement>("play-pause");
  toggle.addEventListener("click", () => {
    const current = queue.current;
    if (!current) return;
    if (current.audio.paused) void current.play();
    else current.pause();
  });
  byId("next").addEventListener("click", () => void queue.skip());
  byId("stop").addEventListener("click", () => queue.stop());
  const seek = byId<HTMLInputElement>("seek");
  seek.addEventListener("change", () => queue.current?.seekContent(Number(seek.value)));
}

let lastAdAnnounced = "";

function renderNowPlaying(queue: PlayQueue): void {
  const state = queue.state();
  const current = state.current;
  byId("np-title").textContent = current ? current.track.title : "Nothing playing";
  byId("np-artist").textContent = current ? current.track.artist : "Pick a track from the catalog.";
  const ad = current?.inAd ?? null;
  const banner = byId("ad-banner");
  banner.hidden = !ad;
  if (ad && current) {
    const left = Math.max(0, Math.ceil(ad.end - current.audio.currentTime));
    const { index, count } = adPosition(ad, current.audio.currentTime);
    byId("ad-countdown").textContent = String(left);
    byId("ad-title").textContent = count > 1 ? `Ad ${index} of ${count}` : "Advertisement";
    if (lastAdAnnounced !== ad.id) {
      lastAdAnnounced = ad.id;
      announce(`Advertisement, ${left} seconds. Your music starts after it.`);
    }
  }
  const seek = byId<HTMLInputElement>("seek");
  const position = current?.contentPosition ?? 0;
  const length = current?.contentDuration ?? 0;
  seek.max = String(Math.max(1, Math.floor(length)));
  if (document.activeElement !== seek) seek.value = String(Math.floor(position));
  seek.disabled = !current || !!ad;
  seek.setAttribute("aria-valuetext", `${duration(position * 1000)} of ${duration(length * 1000)}`);
  byId("np-time").textContent = ad ? "Ad" : duration(position * 1000);
  byId("np-duration").textContent = duration(length * 1000);
  const toggle = byId<HTMLButtonElement>("play-pause");
  const playing = !!current && !current.audio.paused;
  toggle.textContent = playing ? "Pause" : "Play";
  toggle.setAttribute("aria-label", playing ? "Pause" : "Play");
  toggle.disabled = !current;
  const next = byId<HTMLButtonElement>("next");
  next.disabled = !current || !!ad || state.upcoming.length === 0;
  next.title = ad ? "Ads cannot be skipped" : "";
  byId<HTMLButtonElement>("stop").disabled = !current;
  renderStream(current);
  byId("player-error").textContent = state.error ?? current?.error ?? "";
  byId("queue-empty").hidden = state.upcoming.length > 0;
  const upcoming = byId("queue-list");
  // Re-rendered only when the queue changes, so keyboard focus on a Remove button survives playback ticks.
  const key = `${state.upcoming.map((t) => t.id).join(",")}|${state.nextReady}`;
  if (upcoming.dataset.key === key) return;
  upcoming.dataset.key = key;
  render(
    upcoming,
    state.upcoming.map((track, i) =>
      h(
        "li",
        { class: "queue-item" },
        h("span", { class: "track-title" }, track.title),
        h("span", { class: "track-meta" }, track.artist),
        i === 0 && state.nextReady ? h("span", { class: "badge ready" }, "pre-buffered") : null,
        h(
          "button",
          {
            type: "button",
            class: "secondary small",
            "aria-label": `Remove ${track.title} from the queue`,
            onclick: () => queue.remove(i),
          },
          "Remove",
        ),
      ),
    ),
  );
}

function renderStream(current: TrackPlayer | null): void {
  const s = current?.stream;
  const set = (id: string, value: string) => {
    byId(id).textContent = value;
  };
  set("si-rendition", s?.rendition ?? "—");
  set("si-codec", s?.codec ?? "—");
  set("si-bitrate", s ? `${bitrate(s.bandwidth)} peak · ${bitrate(s.averageBandwidth)} average` : "—");
  set("si-pathway", s?.pathway ?? "—");
  set("si-served", s?.servedBy || "—");
  set("si-throughput", s ? bitrate(s.throughput) : "—");
  set("si-buffer", s ? `${s.bufferedAheadS.toFixed(1)} s` : "—");
  set("si-session", current?.sessionId ?? "—");
}

function renderEventStats(stats: QueueStats): void {
  byId("ev-pending").textContent = String(stats.pending);
  byId("ev-accepted").textContent = String(stats.accepted);
  byId("ev-duplicate").textContent = String(stats.duplicate);
  byId("ev-rejected").textContent = String(stats.rejected);
  const last = byId("ev-last");
  last.textContent = stats.lastAttempt;
  last.classList.toggle("warning", stats.failing);
}

/** A stable id for this browser: the playback session is bound to it. */
function deviceId(): string {
  let id = localStorage.getItem("cadence.device");
  if (!id) {
    id = `web-${crypto.randomUUID().slice(0, 18)}`;
    localStorage.setItem("cadence.device", id);
  }
  return id;
}

/** What this browser's Media Source Extensions decode, so the worker offers only renditions that will play. */
function deviceCodecs(): string {
  const mse = globalThis.MediaSource;
  const families = ["aac"];
  if (mse?.isTypeSupported('audio/mp4; codecs="flac"') || mse?.isTypeSupported('audio/mp4; codecs="fLaC"')) {
    families.push("flac");
  }
  return families.join(",");
}

void main().catch((err: unknown) => {
  byId("player-error").textContent = `The player could not start: ${err instanceof Error ? err.message : String(err)}`;
});
