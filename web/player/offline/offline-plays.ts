/**
 * Play events of an offline play, as the streaming player sends them (play_start, play_progress, play_end with the
 * time really listened), under the download's own session, into the page's event queue. The queue keeps them in the
 * browser while there is no network and sends them once there is, so offline plays reach the events pipeline late
 * (it accepts up to 30 days) and count like any other play.
 */
import type { END_REASONS, WireEvent } from "@cadence/shared/events/schema";

type EndReason = (typeof END_REASONS)[number];

const PROGRESS_EVERY_MS = 30_000;

export interface OfflinePlayReport {
  /** Ends the play (once); the reason goes into play_end. */
  finish(reason: EndReason): void;
}

export function reportOfflinePlay(
  audio: HTMLAudioElement,
  play: { sessionId: string; trackId: string; deviceId: string },
  emit: (event: WireEvent) => void,
): OfflinePlayReport {
  let started = false;
  let ended = false;
  let msPlayed = 0;
  let lastTime = audio.currentTime;
  let lastProgress = 0;
  const send = (event: Record<string, unknown>) =>
    emit({
      ...event,
      event_id: crypto.randomUUID(),
      session_id: play.sessionId,
      client_ts: new Date().toISOString(),
      device_id: play.deviceId,
      track_id: play.trackId,
    } as WireEvent);
  const onTime = () => {
    const t = audio.currentTime;
    const delta = t - lastTime;
    lastTime = t;
    if (!started && !audio.paused) {
      started = true;
      send({ type: "play_start", position_ms: Math.round(t * 1000) });
    }
    // Only real listening counts: small forward steps while playing, never a seek.
    if (!audio.paused && delta > 0 && delta < 1.5) msPlayed += delta * 1000;
    if (msPlayed - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = msPlayed;
      send({ type: "play_progress", ms_played: Math.round(msPlayed), position_ms: Math.round(t * 1000) });
    }
  };
  const finish = (reason: EndReason) => {
    if (ended) return;
    ended = true;
    audio.removeEventListener("timeupdate", onTime);
    audio.removeEventListener("ended", onEnded);
    if (started) {
      send({
        type: "play_end",
        ms_played: Math.round(msPlayed),
        end_reason: reason,
        position_ms: Math.round(audio.currentTime * 1000),
      });
    }
  };
  const onEnded = () => finish("completed");
  audio.addEventListener("timeupdate", onTime);
  audio.addEventListener("ended", onEnded);
  return { finish };
}
