/**
 * What every part of the ERN reader shares while it walks one message: the issues and warnings found so far, and the
 * small helpers that record them with their element paths, so each part (recordings, releases, deals) reports the
 * same way and one report lists every problem at once.
 */
import type { IdCheck } from "./identifiers";
import type { DeliveryIssueCode, Issue } from "./issues";
import { textOf, type XmlElement } from "./xml";

/** Records an error at an element, or at a path where an element is missing. */
export type Fail = (el: XmlElement | string, code: DeliveryIssueCode, message: string) => void;

/** Checks a party reference against the PartyList; the reference, or undefined when it is empty. */
export type PartyRef = (el: XmlElement | undefined, what: string) => string | undefined;

export interface ErnReader {
  readonly issues: Issue[];
  readonly warnings: Issue[];
  fail: Fail;
  /** Records a warning: the message is accepted, the report says what was not taken from it. */
  warn: Fail;
  /** The text of a required child element; records `required` when it is missing. */
  required(parent: XmlElement, name: string): string | undefined;
}

export function ernReader(): ErnReader {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const fail: Fail = (el, code, message) => {
    issues.push({ path: typeof el === "string" ? el : el.path, code, message });
  };
  const warn: Fail = (el, code, message) => {
    warnings.push({ path: typeof el === "string" ? el : el.path, code, message });
  };
  const required = (parent: XmlElement, name: string): string | undefined => {
    const value = textOf(parent, name);
    // The path names the element that exists (the parent): a missing element cannot be pointed at.
    if (value === undefined) fail(parent, "required", `${parent.name} needs a ${name}; it has none (or it is empty).`);
    return value;
  };
  return { issues, warnings, fail, warn, required };
}

/** A `PartyRef` for the parties the message lists. */
export function partyRefIn(parties: ReadonlyMap<string, unknown>, fail: Fail): PartyRef {
  return (el, what) => {
    if (!el) return undefined;
    if (el.text === "") {
      fail(el, "required", `${what} is empty.`);
      return undefined;
    }
    if (!parties.has(el.text)) fail(el, "dangling-reference", `${what} ${el.text} is not in the PartyList.`);
    return el.text;
  };
}

/** The identifier's normalised value, or undefined after recording why it is invalid. */
export function checked(result: IdCheck, el: XmlElement, code: DeliveryIssueCode, fail: Fail): string | undefined {
  if (result.ok) return result.value;
  fail(el, code, result.problem);
  return undefined;
}
