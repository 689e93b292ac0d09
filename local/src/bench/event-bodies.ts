/**
 * Event request bodies as one player sends them, for the events benchmark's load generator: the events of one
 * playback session (plays, the QoE samples of its segments, now and then an ad beacon), every event id new, sessions
 * rotating across requests. Built inside the load generator's own process, so making them costs the measured workers
 * nothing.
 */
export interface BenchSession {
  id: string;
  trackId: string;
}

export function eventBodies(sessions: BenchSession[], perRequest: number): () => string {
  let n = 0;
  return () => {
    const s = sessions[n++ % sessions.length] as BenchSession;
    const now = new Date().toISOString();
    const events = [];
    for (let i = 0; i < perRequest; i++) {
      const base = { event_id: crypto.randomUUID(), session_id: s.id, client_ts: now };
      const kind = i % 10;
      if (kind < 5) events.push({ ...base, type: "play_progress", track_id: s.trackId, ms_played: i * 1000 });
      else if (kind === 5)
        events.push({
          ...base,
          type: "ad_impression",
          ad_serving_id: `srv-${n}`,
          campaign_id: "c1",
          creative_id: "cr1",
        });
      else
        events.push({
          ...base,
          type: "qoe_segment",
          cdn: "cloudfront",
          rendition: "aac-256",
          segment: `seg-${i}.m4s`,
          bytes: 192_000,
          ttfb_ms: 35,
          download_ms: 110,
        });
    }
    return JSON.stringify(events);
  };
}
