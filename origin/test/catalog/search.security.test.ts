/** The origin's search route answers the edge only: without the service token it is 403, whatever the query. */
import { describe, expect, it } from "vitest";
import { seedMetadataCatalog } from "../../src/catalog/demo/metadata-catalog";
import { freshOrigin } from "../helpers";

describe("GET /v1/search on the origin", () => {
  it("403 without the service token", async () => {
    const origin = await freshOrigin();
    await seedMetadataCatalog(origin.services.db, [
      { title: "Halo", artist: "Beyoncé Tribute Ensemble", release: "Halo: The Synth Sessions", popularity: 900 },
    ]);
    expect((await origin.request("/v1/search?q=halo")).status).toBe(403);
  });
});
