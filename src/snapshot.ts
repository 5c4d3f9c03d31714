import { ConfigError } from "./errors.ts";
import { type ScanResult, SNAPSHOT_SCHEMA } from "./model.ts";

/**
 * The JSON snapshot of a scan (`scan --format json`), which `report --input`
 * and `--baseline` read back. It is the `ScanResult` as-is, with a `schema`
 * field naming its version, and full (untruncated) ARNs.
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

/** Parses a snapshot, failing with one line when it is not one we can read. */
export function parseSnapshot(text: string, file: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `${file}: not valid JSON: ${(e as Error).message} (use the output of scan --format json)`,
    );
  }
  const v = value as Partial<ScanResult> | null;
  if (typeof v !== "object" || v === null || v.schema !== SNAPSHOT_SCHEMA) {
    const got = typeof v === "object" && v !== null && "schema" in v
      ? JSON.stringify(v.schema)
      : "no schema";
    throw new ConfigError(
      `${file}: not an aws-tag-exporter snapshot (schema ${got}, expected "${SNAPSHOT_SCHEMA}"; create it with scan --format json)`,
    );
  }
  if (!Array.isArray(v.targets) || !Array.isArray(v.requiredTags)) {
    throw new ConfigError(
      `${file}: the snapshot has no targets or requiredTags list (re-create it with scan --format json)`,
    );
  }
  return v as ScanResult;
}
