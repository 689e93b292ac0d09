/** Who may mint a session: a listener access token with the listener scope, nothing else. */
import { describe, expect, it } from "vitest";
import { listenerToken, problemOf, publishTrack, requestMaster } from "./helpers";

describe("master playlist: access token", () => {
  it("asks for a token (401) and refuses a token without the listener scope (403)", async () => {
    const track = await publishTrack();
    expect((await problemOf(await requestMaster(track.id))).code).toBe("token-missing");
    const advertiser = await listenerToken({ scope: "advertiser:adv-1" });
    const res = await requestMaster(track.id, { token: advertiser });
    expect(res.status).toBe(403);
    expect((await problemOf(res)).code).toBe("insufficient-scope");
  });
});
