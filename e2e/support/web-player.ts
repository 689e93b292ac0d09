/**
 * Driving the web player in a test the way a listener does (demo account buttons, the catalog's Play and Queue
 * buttons), and reading back what the page shows and what it sent: the stream panel, the media elements' clocks,
 * stalls (`waiting` until `playing` again) and every event batch posted to the ingest-events worker.
 */
import type { Page } from "playwright-core";

export interface PlayerView {
  title: string;
  rendition: string;
  codec: string;
  pathway: string;
  servedBy: string;
  session: string;
  adVisible: boolean;
  adCountdown: number | null;
  /** Media time of the element that is playing (or the furthest along). */
  mediaTime: number;
  /** Position in the music (after any pre-roll), as the progress bar shows it. */
  seekValue: number;
  error: string;
  pendingEvents: number;
}

export interface SentEvent {
  event_id: string;
  type: string;
  session_id: string;
  track_id?: string;
  [key: string]: unknown;
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.click(`button[data-email="${email}"]`);
  await page.waitForSelector("#app:not([hidden])");
  await page.waitForSelector(".track button.primary");
}

export async function playTrack(page: Page, title: string): Promise<void> {
  await page
    .locator(".track", { hasText: title })
    .getByRole("button", { name: /^Play / })
    .click();
}

export async function queueTrack(page: Page, title: string): Promise<void> {
  await page
    .locator(".track", { hasText: title })
    .getByRole("button", { name: /to the queue$/ })
    .click();
}

export function view(page: Page): Promise<PlayerView> {
  return page.evaluate(() => {
    const text = (id: string) => document.getElementById(id)?.textContent?.trim() ?? "";
    const audios = [...document.querySelectorAll("audio")];
    const playing = audios.find((a) => !a.paused) ?? audios.reduce((a, b) => (b.currentTime > a.currentTime ? b : a));
    const banner = document.getElementById("ad-banner") as HTMLElement;
    return {
      title: text("np-title"),
      rendition: text("si-rendition"),
      codec: text("si-codec"),
      pathway: text("si-pathway"),
      servedBy: text("si-served"),
      session: text("si-session"),
      adVisible: !banner.hidden,
      adCountdown: banner.hidden ? null : Number(text("ad-countdown")),
      mediaTime: playing?.currentTime ?? 0,
      seekValue: Number((document.getElementById("seek") as HTMLInputElement).value),
      error: text("player-error"),
      pendingEvents: Number(text("ev-pending")),
    };
  });
}

/** Waits until the page's view satisfies `test` (polling the DOM), returning that view. */
export async function waitForView(
  page: Page,
  test: (v: PlayerView) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<PlayerView> {
  const deadline = Date.now() + timeoutMs;
  let last = await view(page);
  while (!test(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last view: ${JSON.stringify(last)}`);
    await page.waitForTimeout(250);
    last = await view(page);
  }
  return last;
}

/** Records, in the page, how long each stall lasted (`waiting` until the element plays again), in ms. */
export async function recordStalls(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stalls: number[]; __stallStart: Map<HTMLMediaElement, number> };
    w.__stalls = [];
    w.__stallStart = new Map();
    for (const audio of document.querySelectorAll("audio")) {
      audio.addEventListener("waiting", () => w.__stallStart.set(audio, performance.now()));
      audio.addEventListener("playing", () => {
        const start = w.__stallStart.get(audio);
        if (start !== undefined) w.__stalls.push(performance.now() - start);
        w.__stallStart.delete(audio);
      });
    }
  });
}

/** Completed stalls, plus the one in progress (if any) measured until now. */
export function stalls(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __stalls: number[]; __stallStart: Map<HTMLMediaElement, number> };
    const open = [...w.__stallStart.values()].map((start) => performance.now() - start);
    return [...w.__stalls, ...open];
  });
}

/** Every event the page posts to the ingest-events worker, in order. */
export function captureSentEvents(page: Page): SentEvent[] {
  const sent: SentEvent[] = [];
  page.on("request", (request) => {
    if (request.method() !== "POST" || !/\/v1\/events$/.test(new URL(request.url()).pathname)) return;
    const body = request.postData();
    if (body) sent.push(...(JSON.parse(body) as SentEvent[]));
  });
  return sent;
}
