/**
 * Makes invisible and terminal-controlling characters visible: C0 and C1
 * controls and DEL become `\u001b`-style escapes, as do the bidirectional
 * overrides that can make text read differently from what it is ("Trojan
 * Source"). A hostile tag key or ARN must not move the cursor, recolour a
 * terminal or reorder a line in a report. Newlines are kept unless
 * `newlines` is false; callers that cannot show them handle them first.
 *
 * @example
 * visible("a\x1b[31mb"); // "a\\u001b[31mb"
 */
export function visible(s: string, newlines = true): string {
  const re = newlines ? CONTROLS_BUT_LF : CONTROLS;
  return s.replace(re, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
  });
}

// Matching control characters is the point of these patterns.
// deno-lint-ignore no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LF =
  // deno-lint-ignore no-control-regex
  /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
