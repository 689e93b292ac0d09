/**
 * What can be wrong with a delivery, as the ingest report names it: a closed set of codes, each with what it means.
 * These are not HTTP problem codes (shared/src/problem-codes.ts): a refused delivery is one `delivery-rejected` (422)
 * or `stale-delivery` (409) problem whose `errors` and `warnings` list issues with these codes and their paths.
 */

export const DELIVERY_ISSUE_CODES = {
  // The uploaded archive (archive.ts)
  "archive-unsafe-path": "An archive entry has an absolute, Windows or `..` path that would leave the delivery.",
  "archive-too-many-entries": "The archive has more entries than the ingest accepts.",
  "archive-too-large": "The archive expands past the size the ingest accepts.",
  "archive-corrupt": "The archive, or one of its entries, is not a readable zip.",
  "archive-empty": "The archive is empty or not a zip file.",

  // The delivery folder and its message (delivery.ts, xml.ts)
  "delivery-not-found": "The delivery path is not a folder.",
  "message-not-found": "The delivery has no ERN message, or more than one, at its top level.",
  "xml-dtd-refused": "The message declares a DTD (<!DOCTYPE>), which could hide entity-expansion bombs.",
  "xml-too-large": "The message is larger than the ingest accepts.",
  "xml-too-deep": "The message's elements are nested deeper than the ingest accepts.",
  "xml-too-many-elements": "The message has more elements than the ingest accepts.",
  "xml-malformed": "The message is not well-formed XML.",
  "xml-encoding": "The message's bytes are not in the encoding it declares (or UTF-8/UTF-16 when it declares none).",

  // The ERN content (ern.ts)
  "not-ern": "The message is not an ERN 3.8.x or 4.x NewReleaseMessage or PurgeReleaseMessage.",
  required: "A required element is missing or empty.",
  "duplicate-reference": "A Party, Resource or Release reference is used twice.",
  "dangling-reference": "A reference points at nothing in the PartyList, ResourceList or ReleaseList.",
  "invalid-datetime": "A date-time is not ISO 8601.",
  "invalid-date": "A date is not a valid date (YYYY-MM-DD) or date-time.",
  "invalid-period": "A ValidityPeriod ends before it starts.",
  "invalid-isrc": "An ISRC is malformed.",
  "invalid-iswc": "An ISWC is malformed or its check digit is wrong.",
  "invalid-icpn": "An ICPN (UPC/EAN) is malformed or its GS1 check digit is wrong.",
  "invalid-grid": "A GRid is not 18 letters and digits.",
  "invalid-duration": "A Duration is not a positive ISO 8601 duration.",
  "invalid-share": "A rights share is not 0-100 %, or the shares add up to more than 100 %.",
  "invalid-territory": "A territory is not an ISO 3166-1 alpha-2 code or `Worldwide`.",
  "unsupported-hash": "A HashSum uses an algorithm the ingest cannot check.",
  "malformed-hash":
    "A HashSumValue is not hexadecimal of the length its algorithm gives (32 for MD5, 64 for SHA-256...).",
  "deal-licenses-nothing":
    "A deal's release holds no SoundRecording, so the deal licenses nothing here (warning); it never widens to other tracks.",

  // The files the message references (delivery.ts)
  "path-outside-delivery": "A file reference points outside the delivery folder (absolute, `..`, a link, file: URL).",
  "remote-file": "A file reference is a remote URL; files must be inside the delivery.",
  "invalid-uri": "A file reference is not a valid URI (bad percent-encoding).",
  "file-missing": "A referenced file is not in the delivery, or is not a regular file.",
  "hash-mismatch": "A file's hash differs from the HashSum the message declares.",
  "no-hash": "A file has no HashSum, so its integrity was not checked (warning).",

  // Ingest against the audio and the catalog (ingest.ts)
  "test-message": "The message is a TestMessage; it is ingested like a LiveMessage (warning).",
  "audio-unreadable": "A referenced file is not audio ffmpeg can decode.",
  "duration-mismatch": "The declared Duration is more than 2 s off the audio's; the measured one is used (warning).",
  "redelivery-differs":
    "A MessageId already ingested arrives again with other audio or other recordings; refused, the stored catalog stays.",
  "not-streamed":
    "No deal of the message lets listeners stream the recording: it is stored without transcoding (warning).",
  "delivery-failed":
    "A delivery of a batch failed for an unexpected reason; nothing of it was written, the rest went on.",
  "stale-message": "The catalog already holds a message at least as new for this release.",
  "unknown-release": "A PurgeReleaseMessage names a release the catalog does not have.",
} as const satisfies Record<string, string>;

export type DeliveryIssueCode = keyof typeof DELIVERY_ISSUE_CODES;

/** One problem (an error or a warning) with a delivery. */
export interface Issue {
  /** Element path in the message (or `file:<uri>` for delivery files). */
  path: string;
  code: DeliveryIssueCode;
  message: string;
}
