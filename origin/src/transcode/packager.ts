/**
 * Turns source audio into the packaged ladder in the media store, at most N ffmpeg runs at a time (a bounded worker
 * pool: each run is one ffmpeg process using about one core), and never twice for the same audio: the media key is
 * the SHA-256 of the source plus the ladder version, and a `ladder.json` manifest written after every other file
 * says the packaging is complete. Re-ingesting the same audio (a metadata update, a re-delivery, another release
 * with the same recording) reads the manifest instead of transcoding. Every rendition is sealed in the work folder
 * (`seal`: the catalog passes drm/encrypt-ladder.ts) before its first byte is copied to the store, so the store never
 * holds clear audio.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MediaStore } from "../media/store";
import type { Binaries, SourceInfo } from "./ffmpeg";
import { PLAYLIST_FILE } from "./hls-output";
import { LADDER_VERSION, type LadderResult, transcodeLadder } from "./ladder";

/** A FIFO semaphore: `run` waits for a free slot. */
export class WorkerPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {}

  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (signal?.aborted) {
      this.waiting.shift()?.();
      throw signal.reason;
    }
    this.running += 1;
    try {
      return await job();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  get busy(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

export interface Packaged {
  result: LadderResult;
  /** Media-store prefix of this audio's ladder: `<sha256>-<ladder>-aes`; a rendition's path is `<base>/<rendition id>`. */
  base: string;
  transcoded: boolean;
}

/** Marks an encrypted ladder's media base; bases without it hold clear media packaged before encryption. */
export const ENCRYPTED_BASE_SUFFIX = "-aes";
/** Encrypts a transcoded ladder in its work folder and returns the manifest of what is there now. */
export type SealLadder = (mediaBase: string, work: string, ladder: LadderResult) => Promise<LadderResult>;

export const mediaBaseOf = (sha256: string) => `${sha256}-${LADDER_VERSION}${ENCRYPTED_BASE_SUFFIX}`;
export const isEncryptedBase = (base: string) => base.endsWith(ENCRYPTED_BASE_SUFFIX);

/** Copies a packaged ladder from its work folder into the store under `base`, the manifest last ("complete"). */
export async function storeLadder(store: MediaStore, base: string, work: string, result: LadderResult): Promise<void> {
  for (const rendition of result.renditions) {
    const dir = join(work, rendition.id);
    const files = (await readdir(dir)).filter((f) => !f.endsWith(".tmp"));
    // Segments and init first, the playlist after them, the manifest last: a manifest means "complete".
    files.sort((a, b) => Number(a === PLAYLIST_FILE) - Number(b === PLAYLIST_FILE));
    for (const file of files) await store.putFile(`${base}/${rendition.id}/${file}`, join(dir, file));
  }
  await store.putBytes(`${base}/ladder.json`, new TextEncoder().encode(JSON.stringify(result)));
}

export class Packager {
  private readonly inFlight = new Map<string, Promise<Packaged>>();
  /** Count of real ffmpeg ladder runs, for reports and for tests that check nothing is transcoded twice. */
  transcodes = 0;

  constructor(
    private readonly store: MediaStore,
    private readonly pool: WorkerPool,
    private readonly bin: Binaries,
    private readonly seal: SealLadder,
  ) {}

  /** The packaged ladder for this audio, transcoding only when the store does not have it yet. */
  package(source: string, sha256: string, signal?: AbortSignal, probed?: SourceInfo): Promise<Packaged> {
    const base = mediaBaseOf(sha256);
    let pending = this.inFlight.get(base);
    if (!pending) {
      pending = this.ensure(source, base, signal, probed).finally(() => this.inFlight.delete(base));
      this.inFlight.set(base, pending);
    }
    return pending;
  }

  /** The manifest of an already packaged ladder, if the store has one. */
  async existing(base: string): Promise<LadderResult | undefined> {
    const found = await this.store.get(`${base}/ladder.json`);
    if (!found) return undefined;
    return JSON.parse(await new Response(found.body).text()) as LadderResult;
  }

  private async ensure(source: string, base: string, signal?: AbortSignal, probed?: SourceInfo): Promise<Packaged> {
    const existing = await this.existing(base);
    if (existing) return { result: existing, base, transcoded: false };
    return this.pool.run(async () => {
      const work = await mkdtemp(join(tmpdir(), "cadence-ladder-"));
      try {
        this.transcodes += 1;
        const clear = await transcodeLadder(this.bin, source, work, signal, probed);
        const result = await this.seal(base, work, clear);
        await storeLadder(this.store, base, work, result);
        return { result, base, transcoded: true };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }, signal);
  }
}
