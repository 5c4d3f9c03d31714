import type { ConfigDocument, Path } from "./document.ts";
import { quote } from "./quote.ts";
import { partitionOf, REGION_RE } from "./roles.ts";
import { describe, eachRepeat, type Validator } from "./validator.ts";

/** Far more than the regions AWS has. */
const MAX_REGIONS = 100;

/** A region list as written, or `all`: the account's enabled regions, asked at run time. */
export type RegionChoice = readonly string[] | "all";

/**
 * Reads a `regions` value: a non-empty list of distinct region names of one
 * partition, or the word `all` (the account's enabled regions, listed with
 * account:ListRegions when a scan is planned). Every bad entry is reported;
 * read it inside `doc.attempt`, which gives undefined when any was.
 */
export function parseRegions(v: Validator, path: Path, value: unknown): RegionChoice {
  const doc: ConfigDocument = v.doc;
  if (value === "all") return "all";
  if (typeof value === "string") {
    doc.fail(path, `must be a list of regions or all, got ${describe(value)} (e.g. ["us-east-1"])`);
  }
  const regions = v.stringList(path, value, MAX_REGIONS);
  if (regions.length === 0) doc.fail(path, "is empty (list at least one region)");
  regions.forEach((r, j) => {
    if (r === "all") {
      doc.report([...path, j], `"all" must stand alone: write regions: all, without brackets`);
    } else if (!REGION_RE.test(r)) {
      doc.report([...path, j], `${quote(r)} is not an AWS region name (e.g. "eu-west-1")`);
    }
  });
  eachRepeat(regions, (j) => doc.report([...path, j], `${quote(regions[j])} is listed twice`));
  const partitions = new Set(regions.map(partitionOf));
  if (partitions.size > 1) {
    doc.fail(path, `mixes AWS partitions (${[...partitions].join(", ")}); an account lives in one`);
  }
  return Object.freeze(regions);
}
