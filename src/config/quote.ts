/** Characters of a user's value echoed in a message; the rest becomes `…`. */
export const ECHO_MAX = 80;

/**
 * `s` cut to `max` characters with `…` at the end, never splitting a
 * surrogate pair, so a 5 MB value cannot make a 5 MB error line.
 *
 * @example
 * cut("abcdef", 3); // "abc…"
 */
export function cut(s: string, max = ECHO_MAX): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + "…";
}

/**
 * A user's value as a message shows it: JSON (strings quoted and escaped),
 * cut to `ECHO_MAX` characters.
 *
 * @example
 * quote("us-east"); // '"us-east"'
 * quote("x".repeat(100)); // '"xxx…x…"' (80 x's)
 */
export function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(cut(value));
  if (typeof value === "bigint") return cut(String(value));
  return cut(JSON.stringify(value) ?? String(value));
}
