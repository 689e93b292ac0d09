/**
 * An origin and the small delivery the ingest tests send it: uploads through the edge (service token, or another
 * token), the EdgeTrack a track publishes, table counts, and re-deliveries of the same release as newer or older
 * messages.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { catalogTrackKey, type EdgeTrack } from "@cadence/shared/catalog/edge-track";
import { SERVICE_TOKEN_HEADER } from "@cadence/shared/trust/service-call";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { freshOrigin } from "../helpers";
import { buildDelivery, copyOf, messageFileOf, smallRelease, zipFolder } from "./helpers";

export async function ingestOrigin() {
  const origin = await freshOrigin();
  const delivery = await buildDelivery(smallRelease());
  const upload = (folder: string, token = inject("stack").serviceToken) =>
    origin.request("/v1/ops/catalog/deliveries", {
      method: "POST",
      headers: { "content-type": "application/zip", [SERVICE_TOKEN_HEADER]: token },
      body: zipFolder(folder),
    });
  const edgeTrack = (id: string) => origin.services.redis.get<EdgeTrack>(catalogTrackKey(id));
  const count = async (table: string) =>
    (await origin.services.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]?.n ?? 0;
  /** Rewrites the message of a delivery copy: new message id and creation time, then `edit` on the XML. */
  const redelivery = async (id: string, createdAt: string, edit: (xml: string) => string = (x) => x) => {
    const folder = await copyOf(delivery);
    const file = messageFileOf(folder);
    const xml = readFileSync(file, "utf8")
      .replaceAll("<MessageId>TEST-MSG-1</MessageId>", `<MessageId>${id}</MessageId>`)
      .replace(/<MessageCreatedDateTime>[^<]+</, `<MessageCreatedDateTime>${createdAt}<`);
    writeFileSync(file, edit(xml));
    return folder;
  };
  return { origin, delivery, upload, edgeTrack, count, redelivery };
}
