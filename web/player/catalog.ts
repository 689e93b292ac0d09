/**
 * Browse and search the catalog (`GET /v1/catalog/tracks` with cursor pagination, `GET /v1/search?q=` with typo
 * tolerance) and hand a track to the queue. Results are a list of buttons with the track named in each label, so a
 * keyboard or screen-reader user knows what "Play" will play.
 */
import { describeError } from "../common/api";
import type { AuthSession } from "../common/auth";
import { h, render } from "../common/dom";
import { duration } from "../common/format";
import type { TrackInfo } from "./track-player";

interface TrackSummary {
  id: string;
  title: string;
  artist: string;
  releaseId?: string;
  releaseTitle?: string;
  durationMs: number;
}

interface TrackPage {
  items: TrackSummary[];
  next_cursor: string | null;
}

interface SearchAnswer {
  query: string;
  corrected?: string;
  total: number;
  hits: Array<Omit<TrackSummary, "id"> & { trackId: string }>;
}

export function catalogPanel(options: {
  auth: AuthSession;
  form: HTMLFormElement;
  input: HTMLInputElement;
  results: HTMLElement;
  status: HTMLElement;
  onPlay: (track: TrackInfo) => void;
  onQueue: (track: TrackInfo) => void;
  /** More buttons for a row (the downloads panel's "Download" and "Download release"). */
  rowActions?: (track: TrackInfo, release?: { id: string; title: string }) => HTMLElement[];
}): { browse: () => Promise<void> } {
  const { auth, results, status } = options;
  const list = h("ol", { class: "tracks" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Load more tracks");
  let cursor: string | null = null;

  const row = (t: TrackSummary) => {
    const track: TrackInfo = { id: t.id, title: t.title, artist: t.artist, durationMs: t.durationMs };
    return h(
      "li",
      { class: "track", "data-track-id": t.id },
      h(
        "div",
        { class: "track-text" },
        h("span", { class: "track-title" }, t.title),
        h("span", { class: "track-meta" }, `${t.artist}${t.releaseTitle ? ` · ${t.releaseTitle}` : ""}`),
      ),
      h("span", { class: "track-duration" }, duration(t.durationMs)),
      h(
        "div",
        { class: "track-actions" },
        h(
          "button",
          {
            type: "button",
            class: "primary",
            "aria-label": `Play ${t.title} by ${t.artist}`,
            onclick: () => options.onPlay(track),
          },
          "Play",
        ),
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            "aria-label": `Add ${t.title} to the queue`,
            onclick: () => options.onQueue(track),
          },
          "Queue",
        ),
        options.rowActions?.(
          track,
          t.releaseId ? { id: t.releaseId, title: t.releaseTitle ?? "this release" } : undefined,
        ) ?? null,
      ),
    );
  };

  async function browse(append = false): Promise<void> {
    status.textContent = "Loading the catalog…";
    try {
      const params = new URLSearchParams({ limit: "20" });
      if (append && cursor) params.set("cursor", cursor);
      const page = await auth.json<TrackPage>(`/v1/catalog/tracks?${params}`);
      cursor = page.next_cursor;
      if (!append) list.replaceChildren();
      list.append(...page.items.map(row));
      more.hidden = cursor === null;
      status.textContent = `${list.children.length} tracks${cursor ? " (more available)" : ""}.`;
      render(results, list, more);
    } catch (err) {
      status.textContent = `Could not load the catalog: ${describeError(err)}`;
    }
  }

  async function search(q: string): Promise<void> {
    status.textContent = `Searching for “${q}”…`;
    try {
      const answer = await auth.json<SearchAnswer>(`/v1/search?${new URLSearchParams({ q, limit: "20" })}`);
      list.replaceChildren(...answer.hits.map((hit) => row({ ...hit, id: hit.trackId })));
      more.hidden = true;
      const corrected = answer.corrected ? ` Showing results for “${answer.corrected}”.` : "";
      status.textContent = `${answer.total} result${answer.total === 1 ? "" : "s"} for “${q}”.${corrected}`;
      render(results, list);
    } catch (err) {
      status.textContent = `Search failed: ${describeError(err)}`;
    }
  }

  more.addEventListener("click", () => void browse(true));
  options.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = options.input.value.trim();
    void (q ? search(q) : browse());
  });
  return { browse: () => browse() };
}
