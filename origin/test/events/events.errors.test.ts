/** A malformed message in a landing batch is answered as invalid without holding back the good ones. */
import { describe, expect, it } from "vitest";
import { message, playEvent, setup } from "./helpers";

describe("landing", () => {
  it("answers a malformed message as invalid and still lands the good ones in the same call", async () => {
    const { land, stats } = await setup();
    const good = message([playEvent()]);
    const results = await land([{ v: 1, batch_id: "nope", events: [] }, good]);
    expect(results).toContainEqual(expect.objectContaining({ id: "m0", status: "invalid" }));
    expect(results).toContainEqual(expect.objectContaining({ id: "m1", status: "stored" }));
    expect((await stats()).stored).toBe(1);
  });
});
