/** The gate tests' fixture: the report snapshot, partial and complete, and its baseline. */
import type { ScanResult } from "../../src/model.ts";
import { parseSnapshot } from "../../src/snapshot.ts";

export type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

function load(name: string): ScanResult {
  const url = new URL(`../testdata/report/${name}`, import.meta.url);
  return parseSnapshot(Deno.readTextFileSync(url), name);
}

/** A copy of `base` edited by `edit`. */
export function variant(base: ScanResult, edit: (s: Mutable<ScanResult>) => void): ScanResult {
  const copy = structuredClone(base) as Mutable<ScanResult>;
  edit(copy);
  return copy as ScanResult;
}

/** The fixture: 3 of 7 resources fully compliant (42.86%), 4 non-compliant, one failed target. */
export const partial = load("snapshot.json");
/** The fixture without its failed target: a complete scan. */
export const complete = variant(partial, (s) => s.targets.splice(1, 1));
/** The fixture before the bucket lost `cost,center`: one violation fewer. */
export const before = load("baseline.json");
export const COST = partial.requiredTags[1];
