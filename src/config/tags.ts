import type { ConfigDocument } from "./document.ts";
import type { Validator } from "./validator.ts";

/** Reads `REQUIRED_TAGS` (or `required_tags`): the tag keys every resource must carry. */
export function parseRequiredTags(v: Validator, root: Record<string, unknown>): string[] {
  const doc: ConfigDocument = v.doc;
  if (root.REQUIRED_TAGS !== undefined && root.required_tags !== undefined) {
    doc.fail(["required_tags"], "and REQUIRED_TAGS are both set (keep one)");
  }
  const key = root.REQUIRED_TAGS !== undefined ? "REQUIRED_TAGS" : "required_tags";
  const value = root[key];
  if (value === undefined) {
    doc.fail([], "REQUIRED_TAGS is missing (list the tag keys every resource must carry)");
  }
  const tags = v.stringList([key], value);
  if (tags.length === 0) doc.fail([key], "is empty (list at least one tag key)");
  tags.forEach((t, i) => {
    if (t.length === 0) doc.fail([key, i], "is an empty tag key (remove it)");
    if (t.length > 128) {
      doc.fail([key, i], `is ${t.length} characters; AWS tag keys have at most 128`);
    }
    if (tags.indexOf(t) !== i) doc.fail([key, i], `${JSON.stringify(t)} is listed twice`);
  });
  return tags;
}

/**
 * Reads `excluded_resource_types`: the patterns as written. The engine
 * compiles them (see `RuleSet`); the config only checks they are not empty.
 */
export function parseExcludedTypes(v: Validator, value: unknown): string[] {
  const excluded = v.stringList(["excluded_resource_types"], value ?? []);
  excluded.forEach((p, i) => {
    if (p.trim() === "") v.doc.fail(["excluded_resource_types", i], "is empty (remove the entry)");
  });
  return excluded;
}
