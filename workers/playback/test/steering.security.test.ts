/** The steering URL's playback token: missing (401), or another session's (403). */
import { describe, expect, it } from "vitest";
import { fetchPath, problemOf } from "./helpers";
import { startPlay, steeringUri } from "./steering-play";

describe("the steering manifest: playback token", () => {
  it("refuses a missing playback token (401) and another session's token (403)", async () => {
    const p = await startPlay();
    const other = await startPlay();
    const missing = await fetchPath(`/v1/steering/${p.sessionId}`);
    expect(missing.status).toBe(401);
    expect((await problemOf(missing)).code).toBe("playback-token-missing");
    const foreignPt = new URL(steeringUri(other), "http://x").searchParams.get("pt") ?? "";
    const foreign = await fetchPath(`/v1/steering/${p.sessionId}?pt=${encodeURIComponent(foreignPt)}`);
    expect(foreign.status).toBe(403);
    expect(await problemOf(foreign)).toMatchObject({ code: "token-wrong-session", mismatch: "session" });
  });
});
