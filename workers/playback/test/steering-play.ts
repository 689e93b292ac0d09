/**
 * What the steering tests share: sessions played from Antarctica (AQ/AN) so their measurements touch no other
 * test's region, the session's steering URI, and fetching a manifest that must succeed.
 */
import { expect } from "vitest";
import { fetchPath, listenerToken, type Play, play, publishTrack } from "./helpers";

export const AQ = { "x-cadence-country": "AQ", "x-cadence-continent": "AN" };

export interface Manifest {
  VERSION: number;
  TTL: number;
  "RELOAD-URI": string;
  "PATHWAY-PRIORITY": string[];
}

export async function startPlay(sub = `listener-${crypto.randomUUID()}`): Promise<Play> {
  const track = await publishTrack();
  return play(track.id, { token: await listenerToken({ sub }), headers: AQ });
}

export const steeringUri = (p: Play) => p.manifest.contentSteering?.serverUri ?? "";

export async function manifestOf(uri: string): Promise<{ res: Response; body: Manifest }> {
  const res = await fetchPath(uri);
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as Manifest };
}
