/**
 * A small, defensive XML reader for DDEX messages: saxes (a conforming, non-validating streaming parser) builds a
 * light element tree, and anything a message has no business carrying is refused before it can cost us: DTDs and
 * entity declarations (billion-laughs bombs, external entities), oversized input, absurd nesting or element counts.
 *
 * Elements remember their element path (`/NewReleaseMessage/ResourceList/SoundRecording[2]/Duration`) so every
 * validation error can say where it is.
 */
import { SaxesParser } from "saxes";
import type { DeliveryIssueCode } from "./issues";

export interface XmlElement {
  /** Local name (namespace prefix removed). */
  name: string;
  /** Namespace URI, "" when none. */
  ns: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, trimmed. */
  text: string;
  path: string;
  line: number;
}

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxElements: 1_000_000 };

export class XmlRejected extends Error {
  constructor(
    readonly code: Extract<DeliveryIssueCode, `xml-${string}`>,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "XmlRejected";
  }
}

export function parseXml(source: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement {
  if (Buffer.byteLength(source, "utf8") > limits.maxBytes) {
    throw new XmlRejected("xml-too-large", `The message is larger than ${limits.maxBytes} bytes.`);
  }
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Array<XmlElement & { parts: string[] }> = [];
  let root: XmlElement | undefined;
  let elements = 0;

  parser.on("doctype", () => {
    throw new XmlRejected(
      "xml-dtd-refused",
      "The message declares a DTD (<!DOCTYPE>); DDEX messages must not, and DTDs can hide entity-expansion bombs.",
      parser.line,
    );
  });
  parser.on("opentag", (tag) => {
    elements += 1;
    if (elements > limits.maxElements) {
      throw new XmlRejected("xml-too-many-elements", `The message has more than ${limits.maxElements} elements.`);
    }
    if (stack.length >= limits.maxDepth) {
      throw new XmlRejected("xml-too-deep", `Elements are nested deeper than ${limits.maxDepth}.`, parser.line);
    }
    const parent = stack[stack.length - 1];
    const attrs: Record<string, string> = {};
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === "xmlns" || attr.name === "xmlns") continue;
      attrs[attr.local] = attr.value;
    }
    const element = {
      name: tag.local,
      ns: tag.uri,
      attrs,
      children: [],
      text: "",
      path: "",
      line: parser.line,
      parts: [],
    };
    parent?.children.push(element);
    if (!parent) root = element;
    stack.push(element);
  });
  parser.on("text", (text) => stack[stack.length - 1]?.parts.push(text));
  parser.on("cdata", (text) => stack[stack.length - 1]?.parts.push(text));
  parser.on("closetag", () => {
    const element = stack.pop();
    if (!element) return;
    element.text = element.parts.join("").trim();
    delete (element as Partial<typeof element>).parts;
  });

  try {
    parser.write(source).close();
  } catch (err) {
    if (err instanceof XmlRejected) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new XmlRejected("xml-malformed", `The message is not well-formed XML: ${message}`, parser.line);
  }
  if (!root) throw new XmlRejected("xml-malformed", "The message has no root element.");
  assignPaths(root, "");
  return root;
}

/** Element paths carry a 1-based index only where siblings share a name, so messages stay readable. */
function assignPaths(el: XmlElement, parentPath: string, index?: number): void {
  el.path = `${parentPath}/${el.name}${index === undefined ? "" : `[${index}]`}`;
  const totals = new Map<string, number>();
  for (const c of el.children) totals.set(c.name, (totals.get(c.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const c of el.children) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    assignPaths(c, el.path, (totals.get(c.name) ?? 0) > 1 ? n : undefined);
  }
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function textOf(el: XmlElement | undefined, name: string): string | undefined {
  const found = child(el, name);
  return found && found.text !== "" ? found.text : undefined;
}
