import { ConfigError } from "./errors.ts";
import {
  type ScanResult,
  SNAPSHOT_SCHEMA,
  SNAPSHOT_SCHEMA_V2,
  type TargetResult,
} from "./model.ts";
import { checkInvariants } from "./snapshot_invariants.ts";
import { checkSnapshotV2 } from "./snapshot_v2.ts";

/**
 * The JSON snapshot of a scan (`scan --format json`), which `report --input`
 * and `--baseline` read back. It is the `ScanResult` as-is, with a `schema`
 * field naming its version, and full (untruncated) ARNs. A scan with tag rules
 * or tag policy counts is v2 (see model.ts); any other is v1, as before.
 */
export function* snapshotChunks(result: ScanResult): Generator<string> {
  // One target per chunk keeps peak memory to one target's JSON text.
  const { targets, ...head } = result;
  yield JSON.stringify(head).slice(0, -1) + ',"targets":[\n';
  for (let i = 0; i < targets.length; i++) {
    yield (i > 0 ? ",\n" : "") + JSON.stringify(targets[i]);
  }
  yield "\n]}\n";
}

/**
 * Parses a snapshot, failing with one line (`file: targets[3].counts.scanned
 * must be a number ...`) when it is not one we can read. Every field the
 * report reads is checked, and the counts' invariants (`checkInvariants`),
 * so a hand-edited or truncated file is a usage error (exit 2), never a
 * crash or a nonsense percentage.
 */
export function parseSnapshot(text: string, file: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `${file}: not valid JSON: ${(e as Error).message} (use the output of scan --format json)`,
    );
  }
  const v = value as Record<string, unknown> | null;
  const known = v?.schema === SNAPSHOT_SCHEMA || v?.schema === SNAPSHOT_SCHEMA_V2;
  if (typeof v !== "object" || v === null || Array.isArray(v) || !known) {
    const got = typeof v === "object" && v !== null && "schema" in v
      ? JSON.stringify(v.schema)
      : "no schema";
    throw new ConfigError(
      `${file}: not an aws-tag-exporter snapshot (schema ${got}, expected "${SNAPSHOT_SCHEMA}" or "${SNAPSHOT_SCHEMA_V2}"; create it with scan --format json)`,
    );
  }
  const fail = (path: string, what: string): never => {
    throw new ConfigError(
      `${file}: ${path} must be ${what} (re-create the snapshot with scan --format json)`,
    );
  };
  const check = new Checker(fail);
  for (const key of ["toolVersion", "startedAt", "finishedAt"]) check.string(key, v[key]);
  check.number("durationSeconds", v.durationSeconds);
  check.strings("requiredTags", v.requiredTags);
  const targets = check.array("targets", v.targets).map((t, i) =>
    checkTarget(check, `targets[${i}]`, t)
  );
  if (v.api !== undefined) check.record("api", v.api);
  // v1 has no rules: fields a hand-edited v1 file may carry are not read.
  const { rules: _rules, awsTagPolicy: _policy, ...v1 } = v;
  if (v.schema !== SNAPSHOT_SCHEMA) checkSnapshotV2({ ...v, targets }, fail);
  const result = { ...(v.schema === SNAPSHOT_SCHEMA ? v1 : v), targets, api: v.api ?? {} };
  checkInvariants(result as unknown as ScanResult, fail);
  return result as unknown as ScanResult;
}

/**
 * Checks one target and returns it in the shape `TargetResult` promises: a
 * failed target always has an error and never counts (a hand-edited file may
 * say `"ok": false` with counts, or without an error).
 */
function checkTarget(check: Checker, at: string, value: unknown): TargetResult {
  const t = check.record(at, value);
  for (const key of ["accountId", "accountName", "region"]) check.string(`${at}.${key}`, t[key]);
  check.boolean(`${at}.ok`, t.ok);
  check.number(`${at}.durationSeconds`, t.durationSeconds);
  if (t.error !== null) {
    const e = check.record(`${at}.error`, t.error);
    check.string(`${at}.error.code`, e.code);
    check.string(`${at}.error.message`, e.message);
  }
  if (t.ok === false) {
    const error = t.error ?? { code: "Unknown", message: "no error in the snapshot" };
    return { ...t, error, counts: null } as unknown as TargetResult;
  }
  if (t.counts === null) check.fail(`${at}.counts`, "an object when ok is true");
  const c = check.record(`${at}.counts`, t.counts);
  for (
    const key of ["scanned", "excluded", "fullyCompliant", "nonCompliantTotal", "missingTotal"]
  ) {
    check.number(`${at}.counts.${key}`, c[key]);
  }
  for (const [tag, tc] of Object.entries(check.record(`${at}.counts.tags`, c.tags))) {
    const r = check.record(`${at}.counts.tags[${JSON.stringify(tag)}]`, tc);
    check.number(`${at}.counts.tags[${JSON.stringify(tag)}].compliant`, r.compliant);
    check.number(`${at}.counts.tags[${JSON.stringify(tag)}].nonCompliant`, r.nonCompliant);
  }
  for (const [type, tc] of Object.entries(check.record(`${at}.counts.types`, c.types))) {
    const p = `${at}.counts.types[${JSON.stringify(type)}]`;
    const r = check.record(p, tc);
    check.number(`${p}.total`, r.total);
    check.number(`${p}.fullyCompliant`, r.fullyCompliant);
    for (const [tag, n] of Object.entries(check.record(`${p}.tagCompliant`, r.tagCompliant))) {
      check.number(`${p}.tagCompliant[${JSON.stringify(tag)}]`, n);
    }
  }
  check.array(`${at}.counts.nonCompliant`, c.nonCompliant).forEach((r, j) => {
    const p = `${at}.counts.nonCompliant[${j}]`;
    const o = check.record(p, r);
    check.string(`${p}.arn`, o.arn);
    check.string(`${p}.resourceType`, o.resourceType);
    check.strings(`${p}.missing`, o.missing);
  });
  if (t.untagged !== undefined) checkUntagged(check, `${at}.untagged`, t.untagged);
  return { ...t, error: null } as unknown as TargetResult;
}

/** Checks a target's `untagged` coverage (present only when `untagged_resources` was on). */
function checkUntagged(check: Checker, at: string, value: unknown): void {
  const u = check.record(at, value);
  check.boolean(`${at}.up`, u.up);
  if (u.up) return check.number(`${at}.added`, u.added);
  const e = check.record(`${at}.error`, u.error);
  check.string(`${at}.error.code`, e.code);
  check.string(`${at}.error.message`, e.message);
}

/** Type checks that report the JSON path of the first bad value. */
class Checker {
  constructor(readonly fail: (path: string, what: string) => never) {}
  record(path: string, v: unknown): Record<string, unknown> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, "an object");
    return v as Record<string, unknown>;
  }
  array(path: string, v: unknown): unknown[] {
    if (!Array.isArray(v)) this.fail(path, "a list");
    return v as unknown[];
  }
  strings(path: string, v: unknown): void {
    this.array(path, v).forEach((s, i) => this.string(`${path}[${i}]`, s));
  }
  string(path: string, v: unknown): void {
    if (typeof v !== "string") this.fail(path, "a string");
  }
  number(path: string, v: unknown): void {
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(path, "a number");
  }
  boolean(path: string, v: unknown): void {
    if (typeof v !== "boolean") this.fail(path, "true or false");
  }
}
