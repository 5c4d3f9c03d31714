/**
 * The subset of the Resource Explorer filter syntax the fake understands
 * (ListResources `Filters.FilterString`, a view's own filter): space-separated
 * terms, all of which must match (AND); `-` before a term negates it; a
 * trailing `*` in a value matches any suffix; values may be double-quoted;
 * matching is case-insensitive, as AWS documents for search.
 *
 * Prefixes: `region:`, `accountid:`, `service:`, `resourcetype:`,
 * `resourcetype.supports:tags`, `tag:none`, `tag:all`, `tag:key=value`,
 * `tag:key`, `tag.key:`, `tag.value:`. Anything else (another prefix or
 * free-form text, which ListResources does not support) is rejected.
 *
 * @module
 */

import type { IndexEntry } from "./explorer_index.ts";

/** A compiled filter. */
export interface CompiledFilter {
  matches(e: IndexEntry): boolean;
  /** The filter reads the `tags` property (so the view must include it). */
  usesTags: boolean;
}

/** Thrown for a filter the fake (and AWS) rejects; the message names the bad term. */
export class FilterSyntaxError extends Error {}

const TERM_RE = /-?[a-z.]+:(?:"[^"]*"|\S*)|\S+/gi;

function valueMatcher(raw: string): (v: string) => boolean {
  const want = raw.replace(/^"|"$/g, "").toLowerCase();
  if (want.endsWith("*")) {
    const prefix = want.slice(0, -1);
    return (v) => v.toLowerCase().startsWith(prefix);
  }
  return (v) => v.toLowerCase() === want;
}

function tagTerm(value: string): (e: IndexEntry) => boolean {
  const v = value.replace(/^"|"$/g, "");
  if (v.toLowerCase() === "none") return (e) => e.tags.length === 0;
  if (v.toLowerCase() === "all") return (e) => e.tags.length > 0;
  const eq = v.indexOf("=");
  const key = valueMatcher(eq < 0 ? v : v.slice(0, eq));
  if (eq < 0) return (e) => e.tags.some((t) => key(t.Key));
  const val = valueMatcher(v.slice(eq + 1));
  return (e) => e.tags.some((t) => key(t.Key) && val(t.Value));
}

function compileTerm(term: string): { test: (e: IndexEntry) => boolean; usesTags: boolean } {
  const colon = term.indexOf(":");
  if (colon < 0) {
    throw new FilterSyntaxError(`Free-form text is not supported in a filter: '${term}'`);
  }
  const prefix = term.slice(0, colon).toLowerCase();
  const value = term.slice(colon + 1);
  const m = valueMatcher(value);
  switch (prefix) {
    case "region":
      return { test: (e) => m(e.Region), usesTags: false };
    case "accountid":
      return { test: (e) => m(e.OwningAccountId), usesTags: false };
    case "service":
      return { test: (e) => m(e.Service), usesTags: false };
    case "resourcetype":
      return { test: (e) => m(e.ResourceType), usesTags: false };
    case "resourcetype.supports":
      if (value.toLowerCase() !== "tags") break;
      return { test: (e) => e.supportsTags, usesTags: false };
    case "tag":
      return { test: tagTerm(value), usesTags: true };
    case "tag.key":
      return { test: (e) => e.tags.some((t) => m(t.Key)), usesTags: true };
    case "tag.value":
      return { test: (e) => e.tags.some((t) => m(t.Value)), usesTags: true };
  }
  throw new FilterSyntaxError(`Unsupported filter term '${term}'`);
}

/** Compiles `filter` (empty or undefined: matches everything). Throws FilterSyntaxError. */
export function compileFilter(filter: string | undefined): CompiledFilter {
  const terms = (filter ?? "").match(TERM_RE) ?? [];
  const tests = terms.map((t) => {
    const negated = t.startsWith("-");
    const c = compileTerm(negated ? t.slice(1) : t);
    return { test: negated ? (e: IndexEntry) => !c.test(e) : c.test, usesTags: c.usesTags };
  });
  return {
    matches: (e) => tests.every((t) => t.test(e)),
    usesTags: tests.some((t) => t.usesTags),
  };
}
