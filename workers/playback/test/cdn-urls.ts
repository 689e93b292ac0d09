/** Signed URLs from a real master and media playlist, for the CDN token tests, and a way to break their signature. */
import { fetchPath, listenerToken, parseHls, play, publishTrack, textOf } from "./helpers";

/** Signed init and segment URLs of one rendition on one pathway, from a real master and media playlist. */
export async function signedUrls(pathway: string, rendition = "aac-128") {
  const track = await publishTrack();
  const { media } = await play(track.id, { token: await listenerToken({ tier: "hifi" }) });
  const manifest = parseHls(await textOf(await fetchPath(media.get(`${rendition}/${pathway}`)!)));
  const spec = track.renditions.find((r) => r.id === rendition)!;
  return { init: manifest.segments[0]!.map!.uri, segments: manifest.segments.map((s) => s.uri), spec };
}

/** Flips one character of the signature part so the token no longer verifies. */
export function tamper(url: string, marker: string): string {
  const at = url.indexOf(marker) + marker.length + 4;
  const c = url[at]!;
  return `${url.slice(0, at)}${c === "a" ? "b" : "a"}${url.slice(at + 1)}`;
}
