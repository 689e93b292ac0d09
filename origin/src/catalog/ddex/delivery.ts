/**
 * A delivery on disk: a folder holding one ERN message and the audio files it references (an uploaded zip is
 * extracted into such a folder first, see archive.ts). This module finds the message, parses and validates it, and
 * checks every referenced file: inside the delivery folder (no `..`, no absolute paths, no symlinks out), present,
 * and matching its declared HashSum. Files are streamed through the hashes, never read whole into memory; the
 * SHA-256 computed on the way is the content address of the audio in the media store. The message may be UTF-8
 * (with or without a byte order mark) or UTF-16 with its BOM, as XML allows; bytes that are not in the encoding the
 * message declares are refused with an `xml-encoding` error that says so.
 *
 * Every problem is collected, so one report tells a label everything to fix.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { type ErnMessage, readErn } from "./ern";
import { nodeHashAlgorithm } from "./ern-recording";
import type { DeliveryIssueCode, Issue } from "./issues";
import { parseXml, XmlRejected } from "./xml";

export interface DeliveryFile {
  /** Absolute path on disk. */
  absPath: string;
  bytes: number;
  sha256: string;
}

export interface InspectedDelivery {
  messageFile?: string;
  message?: ErnMessage;
  /** Audio files by SoundRecording ResourceReference. */
  files: Map<string, DeliveryFile>;
  issues: Issue[];
  warnings: Issue[];
}

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export async function inspectDelivery(folder: string): Promise<InspectedDelivery> {
  const files = new Map<string, DeliveryFile>();
  const root = await realpath(folder).catch(() => undefined);
  if (!root || !(await stat(root)).isDirectory()) {
    return {
      files,
      issues: [{ path: folder, code: "delivery-not-found", message: `${folder} is not a folder.` }],
      warnings: [],
    };
  }
  const entries = await readdir(root, { withFileTypes: true });
  const xmls = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".xml")).map((e) => e.name);
  if (xmls.length !== 1) {
    const message =
      xmls.length === 0
        ? "The delivery has no ERN message (an .xml file at its top level)."
        : `The delivery has ${xmls.length} .xml files at its top level (${xmls.join(", ")}); a delivery holds exactly one ERN message.`;
    return { files, issues: [{ path: "/", code: "message-not-found", message }], warnings: [] };
  }
  const messageFile = join(root, xmls[0]!);
  const size = (await stat(messageFile)).size;
  if (size > MAX_MESSAGE_BYTES) {
    const issue: Issue = {
      path: xmls[0]!,
      code: "xml-too-large",
      message: `The message is larger than ${MAX_MESSAGE_BYTES} bytes.`,
    };
    return { messageFile, files, issues: [issue], warnings: [] };
  }
  let tree: ReturnType<typeof parseXml>;
  try {
    tree = parseXml(decodeMessage(await readFile(messageFile)));
  } catch (err) {
    if (!(err instanceof XmlRejected)) throw err;
    const where = err.line === undefined ? xmls[0]! : `${xmls[0]}:${err.line}`;
    return { messageFile, files, issues: [{ path: where, code: err.code, message: err.message }], warnings: [] };
  }
  const { message, issues, warnings } = readErn(tree);
  if (message) {
    const fileIssues = await checkFiles(root, message, files);
    issues.push(...fileIssues.issues);
    warnings.push(...fileIssues.warnings);
  }
  return { messageFile, message: issues.length === 0 ? message : undefined, files, issues, warnings };
}

/**
 * The message's text from its bytes: a UTF-8 or UTF-16 byte order mark decides; without one, the encoding the XML
 * declaration names (UTF-8 when it names none). Undecodable bytes are an `xml-encoding` rejection naming the problem.
 */
export function decodeMessage(bytes: Buffer): string {
  const decode = (encoding: string, body: Buffer, why: string) => {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(body);
    } catch (err) {
      if (err instanceof RangeError) {
        throw new XmlRejected("xml-encoding", `The message declares no encoding this ingest reads ("${encoding}").`);
      }
      throw new XmlRejected("xml-encoding", `The message is not valid ${encoding} (${why}); re-save it as UTF-8.`);
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decode("utf-8", bytes.subarray(3), "it starts with a UTF-8 byte order mark");
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode("utf-16le", bytes.subarray(2), "UTF-16LE byte order mark");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode("utf-16be", bytes.subarray(2), "UTF-16BE byte order mark");
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    throw new XmlRejected(
      "xml-encoding",
      "The message looks like UTF-16 without a byte order mark; UTF-16 messages must start with one (XML 1.0, 4.3.3).",
    );
  }
  const declared = /^<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    bytes.subarray(0, 200).toString("latin1"),
  );
  const encoding = (declared?.[1] ?? "UTF-8").toLowerCase();
  if (encoding.startsWith("utf-16")) {
    throw new XmlRejected("xml-encoding", `The message declares ${declared?.[1]} but has no UTF-16 byte order mark.`);
  }
  return decode(encoding, bytes, declared ? `as its XML declaration says` : "the default when none is declared");
}

async function checkFiles(root: string, message: ErnMessage, out: Map<string, DeliveryFile>) {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const entries = [
    ...message.recordings.flatMap((r) => [
      ...(r.file ? [{ file: r.file, audioOf: r.ref }] : []),
      ...r.extraFiles.map((file) => ({ file, audioOf: undefined })),
    ]),
    ...message.otherFiles.map((file) => ({ file, audioOf: undefined })),
  ];
  for (const { file, audioOf } of entries) {
    const where = file.path;
    const located = await locate(root, file.uri);
    if (!located.ok) {
      issues.push({ path: where, code: located.code, message: located.message });
      continue;
    }
    const algorithm = file.hash ? nodeHashAlgorithm(file.hash.algorithm) : undefined;
    const { sha256, declared, bytes } = await hashFile(located.absPath, algorithm);
    if (file.hash && declared !== file.hash.value) {
      issues.push({
        path: where,
        code: "hash-mismatch",
        message: `${file.uri}: its ${file.hash.algorithm} is ${declared}, but the message declares ${file.hash.value}.`,
      });
      continue;
    }
    if (!file.hash) {
      warnings.push({
        path: where,
        code: "no-hash",
        message: `${file.uri} has no HashSum; its integrity was not checked.`,
      });
    }
    if (audioOf) out.set(audioOf, { absPath: located.absPath, bytes, sha256 });
  }
  return { issues, warnings };
}

type Located = { ok: true; absPath: string } | { ok: false; code: DeliveryIssueCode; message: string };

/** Resolves a File/URI inside the delivery folder, refusing anything that would leave it. */
export async function locate(root: string, uri: string): Promise<Located> {
  let path = uri;
  if (/^file:/i.test(path)) {
    return {
      ok: false,
      code: "path-outside-delivery",
      message: `${uri}: file: URLs are not accepted; use a path relative to the message.`,
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    return {
      ok: false,
      code: "remote-file",
      message: `${uri}: remote files are not fetched; deliver the file inside the delivery.`,
    };
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    return { ok: false, code: "invalid-uri", message: `${uri} is not a valid URI (bad percent-encoding).` };
  }
  if (path.includes("\0") || path.includes("\\") || isAbsolute(path) || path.split("/").includes("..")) {
    return {
      ok: false,
      code: "path-outside-delivery",
      message: `${uri} points outside the delivery folder (absolute paths, "..", and backslashes are refused).`,
    };
  }
  const candidate = resolve(root, path);
  const real = await realpath(candidate).catch(() => undefined);
  if (!real)
    return {
      ok: false,
      code: "file-missing",
      message: `${uri} is referenced by the message but is not in the delivery.`,
    };
  const rel = relative(root, real);
  if (rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
    return {
      ok: false,
      code: "path-outside-delivery",
      message: `${uri} resolves (through a link) outside the delivery folder.`,
    };
  }
  const info = await stat(real);
  if (!info.isFile()) return { ok: false, code: "file-missing", message: `${uri} is not a regular file.` };
  return { ok: true, absPath: real };
}

/** One streaming pass: SHA-256 (content address) and the declared algorithm, if any. */
async function hashFile(path: string, algorithm: string | undefined) {
  const sha = createHash("sha256");
  const other = algorithm && algorithm !== "sha256" ? createHash(algorithm) : undefined;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    sha.update(buf);
    other?.update(buf);
  }
  const sha256 = sha.digest("hex");
  return { sha256, bytes, declared: algorithm === "sha256" ? sha256 : other?.digest("hex") };
}
