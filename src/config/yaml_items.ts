import { CST, Lexer } from "yaml";

/**
 * YAML items a config file may hold: keys, values, list entries and
 * collections: 10,000 accounts with regions and overrides fit. Parsing this many takes
 * a few seconds, since the YAML library parses about 100,000 items a second.
 */
export const MAX_YAML_ITEMS = 250_000;

/** Lexer tokens that are items: a scalar, an alias, or what opens an entry or collection. */
const ITEMS = new Set([
  "scalar",
  "single-quoted-scalar",
  "double-quoted-scalar",
  "block-scalar-header",
  "alias",
  "seq-item-ind",
  "map-value-ind",
  "explicit-key-ind",
  "flow-map-start",
  "flow-seq-start",
]);

/**
 * True when `text` holds more than `max` YAML items. Only lexes (several
 * times faster than parsing) and stops at `max`, so a 10 MiB file of list
 * entries is refused in about a second instead of parsed for a minute.
 */
export function tooManyItems(text: string, max = MAX_YAML_ITEMS): boolean {
  let n = 0;
  for (const token of new Lexer().lex(text)) {
    if (ITEMS.has(CST.tokenType(token) ?? "") && ++n > max) return true;
  }
  return false;
}
