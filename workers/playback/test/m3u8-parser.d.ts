// The part of m3u8-parser's API the tests use (the package ships no types).
declare module "m3u8-parser" {
  export interface ParsedPlaylist {
    attributes: Record<string, string | number | undefined>;
    uri: string;
  }
  export interface ParsedSegment {
    uri: string;
    duration: number;
    map?: { uri: string };
    discontinuity?: boolean;
  }
  export interface ParsedManifest {
    playlists?: ParsedPlaylist[];
    segments: ParsedSegment[];
    targetDuration?: number;
    endList?: boolean;
    playlistType?: string;
    contentSteering?: { serverUri: string; pathwayId?: string };
  }
  export class Parser {
    constructor(opts?: { uri?: string });
    manifest: ParsedManifest;
    on(event: "warn" | "info", listener: (event: { message: string }) => void): void;
    push(chunk: string): void;
    end(): void;
  }
}
