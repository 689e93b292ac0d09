/**
 * The catalog's model of an ERN message, as the reader (ern.ts) produces it and ingest writes it: parties, sound
 * recordings with their files, releases with their tracks, and deals compacted per release.
 */

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
  file?: FileRef;
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
  /** PurgeReleaseMessage: the identity key of the release to purge. */
  purgedReleaseKey?: string;
}
