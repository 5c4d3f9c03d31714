import type { Path } from "./document.ts";
import { partitionOf, REGION_RE } from "./roles.ts";
import { describe, type Validator } from "./validator.ts";

/** A region list as written, or `all`: the account's enabled regions, asked at run time. */
export type RegionChoice = readonly string[] | "all";

/**
 * Reads a `regions` value: a non-empty list of distinct region names of one
 * partition, or the word `all` (the account's enabled regions, listed with
 * account:ListRegions when a scan is planned).
 */
export function parseRegions(v: Validator, path: Path, value: unknown): RegionChoice {
  const doc = v.doc;
  if (value === "all") return "all";
  if (typeof value === "string") {
    doc.fail(path, `must be a list of regions or all, got ${describe(value)} (e.g. ["us-east-1"])`);
  }
  const regions = v.stringList(path, value);
  if (regions.length === 0) doc.fail(path, "is empty (list at least one region)");
  regions.forEach((r, j) => {
    if (r === "all") {
      doc.fail([...path, j], `"all" must stand alone: write regions: all, without brackets`);
    }
    if (!REGION_RE.test(r)) {
      doc.fail(
        [...path, j],
        `${JSON.stringify(r)} is not an AWS region name (e.g. "eu-west-1")`,
      );
    }
    const dup = regions.indexOf(r);
    if (dup !== j) doc.fail([...path, j], `${JSON.stringify(r)} is listed twice`);
  });
  const partitions = new Set(regions.map(partitionOf));
  if (partitions.size > 1) {
    doc.fail(path, `mixes AWS partitions (${[...partitions].join(", ")}); an account lives in one`);
  }
  return Object.freeze(regions);
}
