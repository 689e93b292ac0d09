/** An origin holding one ingested track, and a way to pull its media as the edge does (with the service token). */
import type { EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { catalogTrackKey } from "@cadence/shared/catalog/edge-track";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { expect, inject } from "vitest";
import { buildDelivery, smallRelease } from "../catalog/helpers";
import { freshOrigin } from "../helpers";

export async function originWithMedia() {
  const origin = await freshOrigin();
  const report = await origin.services.catalog.ingestFolder(
    await buildDelivery(
      smallRelease({ messageId: "MEDIA-1", tracks: [{ isrc: "QZTST2600011", title: "Media", seconds: 7 }] }),
    ),
  );
  expect(report.status).toBe("ingested");
  const track = await origin.services.redis.get<EdgeTrack>(catalogTrackKey("trk_qztst2600011"));
  /** The ladder's media-store prefix: `<sha-256>-<ladder>`. */
  const base = track!.renditions[0]!.path.split("/")[0]!;
  const edge = () => ({ [SERVICE_TOKEN_HEADER]: inject("stack").serviceToken });
  const media = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    origin.request(`/media/${path}`, { method, headers: { ...edge(), ...headers } });
  return { origin, base, media };
}
