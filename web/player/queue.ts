/**
 * The listening queue, with the next track pre-buffered so tracks follow each other without a gap.
 *
 * Two `<audio>` elements take turns. Once the current track is buffered to its end, the next track's session is
 * minted and buffered on the other element; when the current one ends, the other starts at once. Minting waits for
 * the current track to be fully buffered because the platform allows one live session per account: the new session
 * ends the old one, whose remaining segment URLs would then be refused.
 */
import { type PlayerOptions, type TrackInfo, TrackPlayer } from "./track-player";

export interface QueueState {
  current: TrackPlayer | null;
  upcoming: TrackInfo[];
  /** The first upcoming track is minted and buffering on the spare element. */
  nextReady: boolean;
  error: string | null;
}

export class PlayQueue extends EventTarget {
  current: TrackPlayer | null = null;
  upcoming: TrackInfo[] = [];
  error: string | null = null;
  private next: TrackPlayer | null = null;
  private preparing = false;
  private spare = 1;

  constructor(
    private readonly audios: [HTMLAudioElement, HTMLAudioElement],
    private readonly options: () => PlayerOptions,
  ) {
    super();
  }

  state(): QueueState {
    return { current: this.current, upcoming: [...this.upcoming], nextReady: this.next !== null, error: this.error };
  }

  /** Plays a track now; what was playing ends as a skip. */
  async playNow(track: TrackInfo): Promise<void> {
    this.dropNext();
    this.current?.stop(this.current.inAd ? "stopped" : "skip_forward");
    this.current = null;
    await this.start(track);
  }

  add(track: TrackInfo): void {
    this.upcoming.push(track);
    this.changed();
    if (!this.current) void this.advance();
    else this.prepareNext();
  }

  remove(index: number): void {
    if (index === 0) this.dropNext();
    this.upcoming.splice(index, 1);
    this.changed();
    this.prepareNext();
  }

  /** Next track. Refused during an ad: ads cannot be skipped. */
  async skip(): Promise<void> {
    if (!this.current || this.current.inAd) return;
    this.current.stop("skip_forward");
    this.current = null;
    await this.advance();
  }

  stop(reason: "stopped" | "logout" = "stopped"): void {
    this.dropNext();
    this.current?.stop(reason);
    this.current = null;
    this.changed();
  }

  private async start(track: TrackInfo): Promise<void> {
    const player = new TrackPlayer(track, this.takeElement(), this.options());
    this.watch(player);
    this.current = player;
    this.error = null;
    this.changed();
    try {
      await player.load();
      await player.play();
    } catch (err) {
      this.fail(player, err);
    }
  }

  private async advance(): Promise<void> {
    const prepared = this.next;
    this.next = null;
    const track = this.upcoming.shift();
    this.changed();
    if (!track) return;
    if (prepared && prepared.track === track) {
      this.current = prepared;
      this.changed();
      try {
        await prepared.play();
      } catch (err) {
        this.fail(prepared, err);
      }
      return;
    }
    prepared?.destroy();
    await this.start(track);
  }

  private prepareNext(): void {
    const track = this.upcoming[0];
    if (!track || this.next || this.preparing || !this.current?.bufferedToEnd) return;
    this.preparing = true;
    const player = new TrackPlayer(track, this.takeElement(), this.options());
    this.watch(player);
    player
      .load()
      .then(() => {
        if (this.upcoming[0] === track) {
          this.next = player;
          this.changed();
        } else player.destroy();
      })
      .catch((err: unknown) => {
        // Not playable here (territory, tier...): say why and drop it from the queue.
        player.destroy();
        if (this.upcoming[0] === track) this.upcoming.shift();
        this.error = `${track.title} was skipped: ${err instanceof Error ? err.message : String(err)}`;
        this.changed();
      })
      .finally(() => {
        this.preparing = false;
        this.prepareNext();
      });
  }

  private watch(player: TrackPlayer): void {
    player.addEventListener("change", () => {
      if (player === this.current) this.changed();
    });
    player.addEventListener("buffered", () => {
      if (player === this.current) this.prepareNext();
    });
    player.addEventListener("ended", () => {
      if (player !== this.current) return;
      player.destroy();
      this.current = null;
      void this.advance();
    });
    player.addEventListener("failed", () => {
      if (player === this.current) this.fail(player, new Error(player.error ?? "playback failed"));
    });
  }

  private fail(player: TrackPlayer, err: unknown): void {
    player.stop("error");
    if (this.current === player) this.current = null;
    this.error = `${player.track.title} could not play: ${err instanceof Error ? err.message : String(err)}`;
    this.changed();
  }

  private dropNext(): void {
    this.next?.destroy();
    this.next = null;
  }

  /** The element not used by the current track. */
  private takeElement(): HTMLAudioElement {
    const inUse = this.current?.audio;
    const element = this.audios.find((a) => a !== inUse) ?? this.audios[this.spare]!;
    this.spare = this.audios.indexOf(element) === 0 ? 1 : 0;
    return element;
  }

  private changed(): void {
    this.dispatchEvent(new Event("change"));
  }
}
