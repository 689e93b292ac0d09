/**
 * One track in one `<audio>` element through hls.js, the way the platform serves it: the master playlist minted by the
 * playback worker with the listener's token (content steering on, so hls.js follows the steering manifest and fails
 * over between CDN pathways), media playlists and segments on the URLs the playlist carries.
 *
 * It reports what a listener and an operator want to see (rendition, codec, bitrate, pathway, the CDN that answered
 * each segment, throughput) and produces the events the platform counts: play start/progress/end with the time
 * actually listened, seeks, and a QoE sample per CDN segment. A free listener's ad break is spliced into the media
 * playlist; the player labels it, counts it down and refuses seeks past it, while its impressions and quartiles are
 * counted server-side as its segments are fetched (so the player sends no ad events: never count twice). The queue
 * (queue.ts) creates one per track and keeps two alive at the end of a track, so the next is already buffered.
 */
import { RENDITION_IDS, type RenditionId } from "@cadence/shared/catalog/edge-track";
import { type CdnId, isCdnId } from "@cadence/shared/cdn/cdn-id";
import type { WireEvent } from "@cadence/shared/events/schema";
import Hls, { type ErrorData, type Fragment, type Level, type LevelDetails } from "hls.js";
import { type AdBreak, adBreaksOf, isAdSegment } from "./ad-breaks";

export interface TrackInfo {
  id: string;
  title: string;
  artist: string;
  durationMs: number;
}

export interface StreamInfo {
  rendition: string;
  codec: string;
  /** Declared peak and average bits per second of the rendition (BANDWIDTH, AVERAGE-BANDWIDTH). */
  bandwidth: number;
  averageBandwidth: number;
  /** The content-steering pathway hls.js is on, and the CDN whose `X-CDN` header answered the last segment. */
  pathway: string;
  servedBy: string;
  /** hls.js's estimate of throughput, bits per second. */
  throughput: number;
  bufferedAheadS: number;
}

export interface PlayerOptions {
  playbackUrl: string;
  deviceId: string;
  accessToken: () => Promise<string>;
  /** `aac` or `aac,flac`: what this browser can decode, so the worker offers only those renditions. */
  codecs: string;
  /** Development only: pin the session's CDN pathways (the worker ignores it in production). */
  pathways?: string;
  /** Seconds to buffer ahead (default: a whole demo track). A small value shows failover mid-track in demos. */
  bufferSeconds?: number;
  emit: (event: WireEvent) => void;
}

type EndReason = "completed" | "skip_forward" | "skip_back" | "stopped" | "error" | "logout";

const PROGRESS_EVERY_MS = 10_000;

export class TrackPlayer extends EventTarget {
  readonly audio: HTMLAudioElement;
  readonly track: TrackInfo;
  sessionId: string | null = null;
  adBreaks: AdBreak[] = [];
  stream: StreamInfo | null = null;
  error: string | null = null;
  /** Fully buffered to its end: safe to mint the next track's session (which ends this one's). */
  bufferedToEnd = false;

  private hls: Hls | null = null;
  private readonly options: PlayerOptions;
  private msPlayed = 0;
  private lastTime = 0;
  private lastProgressAt = 0;
  private started = false;
  private ended = false;
  private servedBy = "";
  private allowedTime = 0;

  constructor(track: TrackInfo, audio: HTMLAudioElement, options: PlayerOptions) {
    super();
    this.track = track;
    this.audio = audio;
    this.options = options;
  }

  /** Mints the session (master playlist) and starts buffering from the beginning; does not play. */
  async load(): Promise<void> {
    const token = await this.options.accessToken();
    const params = new URLSearchParams({ device: this.options.deviceId, codecs: this.options.codecs });
    if (this.options.pathways) params.set("pathways", this.options.pathways);
    const master = `${this.options.playbackUrl}/v1/play/${encodeURIComponent(this.track.id)}/master.m3u8?${params}`;
    const buffer = this.options.bufferSeconds ?? 60;
    const hls = new Hls({
      enableWorker: false, // fMP4 audio needs no transmuxing, and the page's CSP allows no blob: workers
      maxBufferLength: buffer, // by default a whole demo track, so the next one can be minted while this one plays
      // hls.js grows the target up to maxMaxBufferLength for low bitrates (maxBufferSize bytes): cap it at the same.
      maxMaxBufferLength: buffer,
      startFragPrefetch: true,
      // With three CDN pathways, a failing segment is retried once, then the pathway is penalised and hls.js moves
      // to the next one the steering manifest ranks: seconds, where the default retry ladder would stall for ~30 s.
      fragLoadPolicy: {
        default: {
          maxTimeToFirstByteMs: 4_000,
          maxLoadTimeMs: 20_000,
          timeoutRetry: { maxNumRetry: 1, retryDelayMs: 0, maxRetryDelayMs: 0 },
          errorRetry: { maxNumRetry: 1, retryDelayMs: 250, maxRetryDelayMs: 1_000 },
        },
      },
      xhrSetup: (xhr, url) => {
        // Only the master playlist needs the listener's token; every later URL carries its own playback token.
        if (url.includes("/master.m3u8")) xhr.setRequestHeader("authorization", `Bearer ${token}`);
      },
    });
    this.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
      this.sessionId = sessionOf(data.levels[0]?.uri ?? "");
      this.changed();
    });
    hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => this.onLevelLoaded(data.details));
    hls.on(Hls.Events.LEVEL_SWITCHED, () => this.refreshStream());
    hls.on(Hls.Events.STEERING_MANIFEST_LOADED, () => this.refreshStream());
    hls.on(Hls.Events.FRAG_LOADED, (_e, data) => this.onFragLoaded(data.frag, data.networkDetails));
    hls.on(Hls.Events.BUFFER_EOS, () => {
      this.bufferedToEnd = true;
      this.dispatchEvent(new Event("buffered"));
    });
    hls.on(Hls.Events.ERROR, (_e, data) => this.onError(data));
    this.audio.addEventListener("timeupdate", this.onTimeUpdate);
    this.audio.addEventListener("seeking", this.onSeeking);
    this.audio.addEventListener("ended", this.onEnded);
    this.audio.addEventListener("playing", this.onPlaying);
    hls.attachMedia(this.audio);
    await new Promise<void>((resolve, reject) => {
      hls.once(Hls.Events.MANIFEST_PARSED, () => resolve());
      hls.once(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal || data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR) reject(new PlaybackError(data));
      });
      hls.loadSource(master);
    });
  }

  play(): Promise<void> {
    return this.audio.play();
  }

  pause(): void {
    this.audio.pause();
  }

  get inAd(): AdBreak | null {
    const t = this.audio.currentTime;
    return this.adBreaks.find((b) => t >= b.start && t < b.end - 0.05) ?? null;
  }

  /** Where the music starts (after a pre-roll) and how long it is, in media seconds. */
  get contentStart(): number {
    return this.adBreaks.find((b) => b.start < 0.5)?.end ?? 0;
  }

  get contentPosition(): number {
    return Math.max(0, this.audio.currentTime - this.contentStart);
  }

  get contentDuration(): number {
    const mediaDuration = Number.isFinite(this.audio.duration) ? this.audio.duration : this.track.durationMs / 1000;
    const adSeconds = this.adBreaks.reduce((sum, b) => sum + (b.end - b.start), 0);
    return Math.max(0, mediaDuration - adSeconds);
  }

  /** Seeks inside the music; never into or past an ad that has not played (ads cannot be skipped). */
  seekContent(seconds: number): void {
    if (this.inAd) return;
    const target = this.contentStart + Math.max(0, Math.min(seconds, this.contentDuration - 0.25));
    this.audio.currentTime = target;
  }

  /** Ends the play (the reason goes into `play_end`) and frees the media element. */
  stop(reason: EndReason): void {
    this.finish(reason);
    this.destroy();
  }

  destroy(): void {
    this.audio.removeEventListener("timeupdate", this.onTimeUpdate);
    this.audio.removeEventListener("seeking", this.onSeeking);
    this.audio.removeEventListener("ended", this.onEnded);
    this.audio.removeEventListener("playing", this.onPlaying);
    this.hls?.destroy();
    this.hls = null;
    this.audio.removeAttribute("src");
    this.audio.load();
  }

  private onLevelLoaded(details: LevelDetails): void {
    this.adBreaks = adBreaksOf(details);
    this.refreshStream();
  }

  private onFragLoaded(frag: Fragment, networkDetails: unknown): void {
    // Only CDN answers expose X-CDN (ad segments come from the playback worker): ask only when it is there, since
    // reading a header CORS does not expose logs an error.
    if (networkDetails instanceof XMLHttpRequest && /^x-cdn:/im.test(networkDetails.getAllResponseHeaders())) {
      this.servedBy = networkDetails.getResponseHeader("x-cdn") ?? "";
    }
    const stats = frag.stats;
    this.qoe(frag, {
      bytes: Math.round(stats.loaded),
      ttfb_ms: Math.max(0, Math.round(stats.loading.first - stats.loading.start)),
      download_ms: Math.max(0, Math.round(stats.loading.end - stats.loading.start)),
      http_status: 200,
    });
    this.refreshStream();
  }

  private onError(data: ErrorData): void {
    if (data.frag && data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      const code = data.response?.code;
      this.qoe(data.frag, {
        bytes: 0,
        ttfb_ms: 0,
        download_ms: Math.max(0, Math.round(performance.now() - data.frag.stats.loading.start)),
        http_status: code && code > 0 ? code : undefined,
        error: data.details === Hls.ErrorDetails.FRAG_LOAD_TIMEOUT ? "timeout" : code ? `http_${code}` : "network",
      });
    }
    if (data.fatal) {
      this.error = new PlaybackError(data).message;
      this.changed();
      this.dispatchEvent(new Event("failed"));
    }
  }

  /** One QoE sample per media segment, tagged with the pathway (CDN) and rendition it came from. */
  private qoe(
    frag: Fragment,
    measured: { bytes: number; ttfb_ms: number; download_ms: number; http_status?: number; error?: string },
  ): void {
    const level = this.hls?.levels[frag.level];
    const cdn = level?.pathwayId;
    const rendition = level ? renditionOf(level) : "";
    // Ad segments come from the playback worker, not the variant's CDN: they say nothing about that CDN.
    if (frag.sn === "initSegment" || isAdSegment(frag.url) || !isCdnId(cdn) || !isRenditionId(rendition)) return;
    this.emit({
      type: "qoe_segment",
      track_id: this.track.id,
      cdn: cdn satisfies CdnId,
      rendition,
      segment: frag.relurl?.split("?")[0]?.split("/").pop()?.slice(0, 256),
      ...measured,
    });
  }

  private readonly onPlaying = () => {
    this.changed();
  };

  private readonly onTimeUpdate = () => {
    this.refreshStream();
    const t = this.audio.currentTime;
    const delta = t - this.lastTime;
    this.lastTime = t;
    if (this.inAd) {
      // How far the ads have really played: only small forward steps count, never a seek.
      if (!this.audio.seeking && delta > 0 && delta < 1.5) this.allowedTime = Math.max(this.allowedTime, t);
    } else if (t >= this.contentStart) {
      if (!this.started) {
        this.started = true;
        this.emit({
          type: "play_start",
          track_id: this.track.id,
          position_ms: Math.round(this.contentPosition * 1000),
        });
        this.lastProgressAt = 0;
      }
      // Only real listening counts: a small forward step while playing, not a seek.
      if (!this.audio.paused && delta > 0 && delta < 1.5) this.msPlayed += delta * 1000;
      if (this.msPlayed - this.lastProgressAt >= PROGRESS_EVERY_MS) {
        this.lastProgressAt = this.msPlayed;
        this.emit({
          type: "play_progress",
          track_id: this.track.id,
          ms_played: Math.round(this.msPlayed),
          position_ms: Math.round(this.contentPosition * 1000),
        });
      }
    }
    this.changed();
  };

  /** Ads cannot be skipped: a seek that starts inside a break, or jumps over an unplayed one, goes back. */
  private readonly onSeeking = () => {
    const target = this.audio.currentTime;
    // A jump ahead of what has played, into or over a break not yet heard to its end.
    const unplayed = this.adBreaks.find(
      (b) => target > this.allowedTime + 0.5 && target > b.start && this.allowedTime < b.end - 0.1,
    );
    if (unplayed) {
      // Pulled back once this seek has settled (a seek issued from inside "seeking" can leave Chromium's media
      // element stuck), and playing again if the jump reached the end and stopped it there.
      const back = Math.max(unplayed.start, Math.min(this.allowedTime, unplayed.end));
      const resume = !this.audio.paused;
      this.audio.addEventListener(
        "seeked",
        () => {
          this.audio.currentTime = back;
          if (resume || this.audio.ended) void this.audio.play().catch(() => undefined);
        },
        { once: true },
      );
      return;
    }
    if (this.started && Math.abs(target - this.lastTime) > 1) {
      this.emit({
        type: "seek",
        track_id: this.track.id,
        from_ms: Math.round(Math.max(0, this.lastTime - this.contentStart) * 1000),
        to_ms: Math.round(Math.max(0, target - this.contentStart) * 1000),
      });
    }
    this.lastTime = target;
  };

  private readonly onEnded = () => {
    // An "ended" left over from a refused jump past an ad (already pulled back) is not the end of the track.
    if (this.audio.currentTime < this.audio.duration - 0.5) {
      void this.audio.play().catch(() => undefined);
      return;
    }
    this.finish("completed");
    this.dispatchEvent(new Event("ended"));
  };

  private finish(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started) return; // never reached the music: no play to end
    this.emit({
      type: "play_end",
      track_id: this.track.id,
      ms_played: Math.round(this.msPlayed),
      end_reason: reason,
      position_ms: Math.round(this.contentPosition * 1000),
    });
  }

  private refreshStream(): void {
    const hls = this.hls;
    if (!hls) return;
    const level: Level | undefined = hls.levels[hls.currentLevel >= 0 ? hls.currentLevel : hls.loadLevel];
    if (!level) return;
    const buffered = this.audio.buffered;
    let ahead = 0;
    for (let i = 0; i < buffered.length; i++) {
      if (buffered.start(i) <= this.audio.currentTime + 0.1) ahead = buffered.end(i) - this.audio.currentTime;
    }
    this.stream = {
      rendition: renditionOf(level),
      codec: level.audioCodec ?? level.attrs.CODECS ?? "",
      bandwidth: level.bitrate,
      averageBandwidth: level.averageBitrate,
      pathway: level.pathwayId,
      servedBy: this.servedBy,
      throughput: hls.bandwidthEstimate,
      bufferedAheadS: Math.max(0, ahead),
    };
    this.changed();
  }

  private emit(event: DistributiveOmit<WireEvent, "event_id" | "session_id" | "client_ts" | "device_id">): void {
    if (!this.sessionId) return;
    this.options.emit({
      ...event,
      event_id: crypto.randomUUID(),
      session_id: this.sessionId,
      client_ts: new Date().toISOString(),
      device_id: this.options.deviceId,
    } as WireEvent);
  }

  private changed(): void {
    this.dispatchEvent(new Event("change"));
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why a play could not start, in the playback worker's own words (its problem+json `detail`) when it sent them. */
export class PlaybackError extends Error {
  readonly status: number | undefined;

  constructor(data: ErrorData) {
    const status = data.response?.code || undefined;
    let detail: string | undefined;
    const xhr = data.networkDetails;
    if (xhr instanceof XMLHttpRequest && xhr.responseType in { "": 1, text: 1 }) {
      try {
        detail = (JSON.parse(xhr.responseText) as { detail?: string }).detail;
      } catch {
        // not problem+json
      }
    }
    super(detail ?? (status ? `The playback service answered ${status}.` : `Playback failed (${data.details}).`));
    this.name = "PlaybackError";
    this.status = status;
  }
}

/** `/v1/play/{session}/{rendition}/{pathway}.m3u8` -> session id. */
export function sessionOf(mediaPlaylistUrl: string): string | null {
  return /\/v1\/play\/([A-Za-z0-9_-]+)\/[a-z0-9-]+\/[a-z]+\.m3u8/.exec(mediaPlaylistUrl)?.[1] ?? null;
}

function isRenditionId(value: string): value is RenditionId {
  return (RENDITION_IDS as readonly string[]).includes(value);
}

function renditionOf(level: Level): string {
  return level.attrs["STABLE-VARIANT-ID"] ?? level.name ?? "";
}
