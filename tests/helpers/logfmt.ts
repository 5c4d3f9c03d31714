/**
 * A strict logfmt reader for tests: it accepts only what Go's log/slog
 * TextHandler (and so promslog) writes, and throws on anything else, so a
 * test that parses our lines proves them well formed, not just readable.
 *
 * - pairs are `key=value`, separated by exactly one space, nothing before
 *   or after;
 * - a bare key or value is non-empty and has no space, `=`, `"` or control
 *   character other than DEL;
 * - a quoted one is a Go string literal as strconv.Quote writes it: `\"`,
 *   `\\`, `\a \b \f \n \r \t \v`, `\xNN` (below 0x20 and 0x7f), `\uNNNN`,
 *   `\UNNNNNNNN` (lower-case hex), and no raw control characters;
 * - a key appears once.
 */

/** Go's unicode.IsPrint (less the ASCII space). */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const SHORT: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** True for what ends a bare token: a space, `=`, `"` or a control character (not DEL). */
function ends(code: number): boolean {
  return code <= 0x20 || code === 0x3d || code === 0x22;
}

/** The pairs of one logfmt line, in order. */
export function parseLogfmt(line: string): [string, string][] {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`logfmt: ${why} at ${i} in ${JSON.stringify(line)}`);
  };
  const token = (): string => {
    if (line[i] !== '"') {
      const start = i;
      while (i < line.length && !ends(line.charCodeAt(i))) i++;
      if (i === start) fail("empty bare token");
      const bare = line.slice(start, i);
      for (const ch of bare) {
        if (ch.codePointAt(0)! >= 0x80 && (ch === "\ufffd" || !PRINTABLE.test(ch))) {
          fail(`unprintable ${JSON.stringify(ch)} not quoted`);
        }
      }
      return bare;
    }
    i++;
    let out = "";
    while (true) {
      if (i >= line.length) fail("unterminated quote");
      const c = line[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20 || c === "\x7f") fail("raw control character in quotes");
      if (c !== "\\") {
        out += c;
        i++;
        continue;
      }
      const e = line[i + 1];
      if (e in SHORT) {
        out += SHORT[e];
        i += 2;
        continue;
      }
      const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : fail(`bad escape \\${e}`);
      const digits = line.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-f]{${width}}$`).test(digits)) fail("bad hex escape");
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 2 + width;
    }
  };
  while (i < line.length) {
    if (pairs.length > 0) {
      if (line[i] !== " ") fail("expected one space");
      i++;
    }
    const key = token();
    if (line[i] !== "=") fail("expected =");
    i++;
    const value = token();
    if (seen.has(key)) fail(`repeated key ${key}`);
    seen.add(key);
    pairs.push([key, value]);
  }
  if (pairs.length === 0) fail("empty line");
  return pairs;
}

/** The pairs of a logfmt line as an object. */
export function logfmtRecord(line: string): Record<string, string> {
  return Object.fromEntries(parseLogfmt(line.replace(/\n$/, "")));
}
