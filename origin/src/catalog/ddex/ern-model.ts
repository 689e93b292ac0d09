/**
 * The catalog's model of an ERN message, as the reader (ern.ts) produces it and ingest writes it: parties, sound
 * recordings with their files, releases with their tracks, and deals compacted per release.
 */
import type { Issue } from "./issues";

export interface PartyModel {
  ref: string;
  name: string;
  isni?: string;
  dpid?: string;
  proprietaryIds: string[];
}

export interface FileRef {
  uri: string;
  path: string;
  hash?: { algorithm: string; value: string };
}

export interface SoundRecordingModel {
  ref: string;
  path: string;
  isrc: string;
  title: string;
  displayArtist: string;
  artists: Array<{ partyRef: string; role: string }>;
  contributors: Array<{ partyRef: string; roles: string[] }>;
  rightsControllers: Array<{ partyRef: string; roles: string[]; sharePercent?: number }>;
  iswcs: string[];
  durationMs: number;
  parentalWarning?: string;
  /** The audio the ladder is made from. */
  file?: FileRef;
  /** Any further files of the recording (a second DeliveryFile): checked for presence and hash, not transcoded. */
  extraFiles: FileRef[];
}

export interface ReleaseModel {
  ref: string;
  path: string;
  kind: "main" | "track";
  icpn?: string;
  grid?: string;
  proprietaryIds: string[];
  /** The release's identity across messages: ICPN, else GRid, else its first proprietary id. */
  key: string;
  title: string;
  displayArtist: string;
  releaseType?: string;
  labelRefs: string[];
  genres: string[];
  releaseDate?: string;
  /** SoundRecording references in track order. */
  recordingRefs: string[];
}

export interface DealModel {
  path: string;
  releaseRefs: string[];
  territories: string[];
  excluded: string[];
  start?: number;
  end?: number;
  commercialModels: string[];
  useTypes: string[];
  /** 3.8 `TakeDown`: the deal withdraws the release rather than licensing it. */
  takedown?: boolean;
}

export interface ErnMessage {
  kind: "NewReleaseMessage" | "PurgeReleaseMessage";
  version: string;
  messageId: string;
  sender: { partyId: string; name?: string };
  createdAt: number;
  isTest: boolean;
  parties: Map<string, PartyModel>;
  recordings: SoundRecordingModel[];
  releases: ReleaseModel[];
  /** Undefined when the message has no DealList (a metadata-only update: deals stay as they were). */
  deals?: DealModel[];
  /** Files of other resources (artwork Images): checked for presence and hash, not transcoded. */
  otherFiles: FileRef[];
  /** 3.8: `OriginalMessage` or `UpdateMessage`, as the message says. */
  updateIndicator?: string;
  /** 3.8: deals that are all `TakeDown`: the releases are taken down from this time. */
  takedownAt?: number;
  /** PurgeReleaseMessage: the identity key of the release to purge. */
  purgedReleaseKey?: string;
}

/** What every message kind carries: version, id, sender, creation time, test flag. */
export type MessageBase = Pick<ErnMessage, "version" | "messageId" | "sender" | "createdAt" | "isTest">;

/** A reader's answer: the message when it has no errors, and every error and warning found. */
export interface ReadResult {
  message?: ErnMessage;
  issues: Issue[];
  warnings: Issue[];
}
