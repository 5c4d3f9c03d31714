/**
 * logfmt as Prometheus writes it: promslog's go-kit style, which is Go's
 * log/slog TextHandler with `ts=` and a lower-case level. A key or value is
 * written bare unless slog would quote it (empty; a space, `=`, `"` or ASCII
 * control character; a non-ASCII character that is not printable, or U+FFFD),
 * and then quoted and escaped as Go's strconv.Quote does. So Loki's `logfmt`
 * stage, go-logfmt and every logfmt reader get back the exact value.
 */

/** One value of a log line. */
export type LogValue = string | number | boolean | null;

/** Letters, marks, numbers, punctuation and symbols: Go's unicode.IsPrint, less the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * One logfmt line (without the newline) of `pairs`, in their order.
 *
 * @example
 * logfmtLine([["ts", "2026-01-02T03:04:05.000Z"], ["level", "info"], ["msg", "scan finished"]]);
 * // 'ts=2026-01-02T03:04:05.000Z level=info msg="scan finished"'
 */
export function logfmtLine(pairs: Iterable<readonly [string, LogValue]>): string {
  const out: string[] = [];
  for (const [key, value] of pairs) out.push(`${logfmtString(key)}=${logfmtValue(value)}`);
  return out.join(" ");
}

/** A value as slog writes it: numbers as Go formats them, strings quoted when needed. */
export function logfmtValue(value: LogValue): string {
  if (typeof value === "string") return logfmtString(value);
  if (typeof value === "number") {
    if (value === Infinity) return "+Inf";
    if (value === -Infinity) return "-Inf";
    return String(value);
  }
  return String(value);
}

/** A string bare when slog leaves it bare, else quoted as strconv.Quote does. */
export function logfmtString(s: string): string {
  // A lone surrogate reaches stderr as U+FFFD (TextEncoder); say so here too.
  const text = s.toWellFormed();
  return needsQuoting(text) ? goQuote(text) : text;
}

/** slog's needsQuoting. */
function needsQuoting(s: string): boolean {
  if (s === "") return true;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      // Anything JSON would escape (a control character, `"`), a space or `=`;
      // but not a backslash.
      if (cp < 0x20 || cp === 0x20 || cp === 0x22 || cp === 0x3d) return true;
    } else if (cp === 0xfffd || !PRINTABLE.test(ch)) {
      return true;
    }
  }
  return false;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/** Go's strconv.Quote of well-formed text: printable characters as they are, the rest escaped. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      out += short;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (ch === " " || PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
