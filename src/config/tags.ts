import type { ConfigDocument } from "./document.ts";
import type { ResourceTypeFormat } from "./model.ts";
import { quote } from "./quote.ts";
import { eachRepeat, type Validator } from "./validator.ts";

/**
 * Required tags allowed at most. AWS resources carry at most 50 user tags,
 * and each required tag is a series per account-region, so this is already
 * far more than can be met.
 */
export const MAX_REQUIRED_TAGS = 1000;
/** Exclusion patterns allowed at most. */
const MAX_EXCLUDED = 1000;

/** Reads `REQUIRED_TAGS` (or `required_tags`): the tag keys every resource must carry. */
export function parseRequiredTags(v: Validator, root: Record<string, unknown>): string[] {
  const doc: ConfigDocument = v.doc;
  if (root.REQUIRED_TAGS !== undefined && root.required_tags !== undefined) {
    doc.report(["required_tags"], "and REQUIRED_TAGS are both set (keep one)");
  }
  const key = root.REQUIRED_TAGS !== undefined ? "REQUIRED_TAGS" : "required_tags";
  const value = root[key];
  if (value === undefined) {
    doc.failMissing(
      [],
      ["REQUIRED_TAGS", "required_tags"],
      "REQUIRED_TAGS is missing (list the tag keys every resource must carry)",
    );
  }
  const tags = v.stringList([key], value, MAX_REQUIRED_TAGS);
  if (tags.length === 0) doc.fail([key], "is empty (list at least one tag key)");
  tags.forEach((t, i) => {
    if (t.length === 0) doc.report([key, i], "is an empty tag key (remove it)");
    if (t.length > 128) {
      doc.report([key, i], `is ${t.length} characters; AWS tag keys have at most 128`);
    }
  });
  eachRepeat(tags, (i) => doc.report([key, i], `${quote(tags[i])} is listed twice`));
  return tags;
}

/**
 * Reads `excluded_resource_types`: the patterns as written. The engine
 * compiles them (see `RuleSet`); the config only checks they are not empty.
 */
export function parseExcludedTypes(v: Validator, value: unknown): string[] {
  const path = ["excluded_resource_types"];
  const excluded = v.stringList(path, value ?? [], MAX_EXCLUDED);
  excluded.forEach((p, i) => {
    if (p.trim() === "") v.doc.report([...path, i], "is empty (remove the entry)");
  });
  return excluded;
}

const TYPE_FORMATS: readonly ResourceTypeFormat[] = ["short", "service"];

/**
 * Reads `resource_type_format`: `short` (the default, the original design's
 * `cluster`) or `service` (`ecs:cluster`).
 */
export function parseResourceTypeFormat(v: Validator, value: unknown): ResourceTypeFormat {
  const path = ["resource_type_format"];
  const format = v.optString(path, value);
  if (format === null) return "short";
  if (!(TYPE_FORMATS as readonly string[]).includes(format)) {
    v.doc.fail(
      path,
      `${quote(format)} is not a format: use short (cluster) or service (ecs:cluster)`,
    );
  }
  return format as ResourceTypeFormat;
}
