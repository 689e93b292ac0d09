/**
 * Where a JSON text breaks, for a 400 that says where: V8's `JSON.parse` messages give a position for some errors but
 * not others (and echo the whole input for those), so on failure this small scanner walks the JSON grammar and
 * returns the offset of the first character that cannot belong there, with what was expected.
 */
export interface JsonBreak {
  offset: number;
  line: number;
  column: number;
  expected: string;
}

export function jsonBreak(text: string): JsonBreak | null {
  let i = 0;
  const fail = (expected: string): never => {
    throw Object.assign(new Error(expected), { offset: i });
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`\`${word}\``);
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        i++;
        const esc = text[i];
        if (esc === "u") {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) fail("four hex digits after \\u");
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      } else if (ch.charCodeAt(0) < 0x20) fail("no raw control characters inside a string");
      else i++;
    }
    fail('a closing `"`');
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "" || match[0] === "-") fail("a value");
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 64) fail("less nesting");
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a double-quoted property name");
        string();
        ws();
        if (text[i] !== ":") fail("`:` after the property name");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("`,` or `}` after a property value");
      }
    }
    if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("`,` or `]` after an array element");
      }
    }
    if (ch === '"') string();
    else if (ch === "t") literal("true");
    else if (ch === "f") literal("false");
    else if (ch === "n") literal("null");
    else if (ch !== undefined && /[-0-9]/.test(ch)) number();
    else fail(ch === undefined ? "more input (the body ends too early)" : "a value");
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail("the end of the body (extra text after the JSON value)");
    return null;
  } catch (err) {
    const offset = (err as { offset?: number }).offset ?? i;
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { offset, line, column: offset - before.lastIndexOf("\n"), expected: (err as Error).message };
  }
}

/** "line 3, column 14: expected `,` or `}` after a property value". */
export function describeJsonBreak(text: string): string {
  const found = jsonBreak(text);
  if (!found) return "it could not be parsed";
  return `at line ${found.line}, column ${found.column} (byte offset ${found.offset}): expected ${found.expected}`;
}
