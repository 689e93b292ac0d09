/** The ingest endpoint answers the edge only: a caller with any other token gets 403 `edge-only`. */
import { beforeAll, describe, expect, it } from "vitest";
import { ingestOrigin } from "./ingest-helpers";

type IngestOrigin = Awaited<ReturnType<typeof ingestOrigin>>;
let delivery: string;
let upload: IngestOrigin["upload"];

beforeAll(async () => {
  ({ delivery, upload } = await ingestOrigin());
}, 60_000);

describe("the ingest endpoint itself", () => {
  it("answers only the edge", async () => {
    const res = await upload(delivery, "not-the-service-token-at-all");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "edge-only" });
  });
});
