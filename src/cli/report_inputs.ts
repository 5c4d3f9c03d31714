import { ConfigError } from "../errors.ts";
import type { ScanResult } from "../model.ts";
import { parseSnapshot } from "../snapshot.ts";
import { MAX_STRING_BYTES, readTextFile } from "../text_file.ts";

/** The baseline flags `report` checks before reading anything. */
export interface BaselineFlags {
  baseline?: string;
  tolerance?: number;
  maxNewViolations?: number;
  minBaselineOverlap?: number;
}

/** The flags that tune the baseline gate are usage errors without --baseline. */
export function assertBaselineFlags(opts: BaselineFlags): void {
  if (opts.baseline !== undefined) return;
  for (
    const [flag, value] of [
      ["--tolerance", opts.tolerance],
      ["--max-new-violations", opts.maxNewViolations],
      ["--min-baseline-overlap", opts.minBaselineOverlap],
    ] as const
  ) {
    if (value !== undefined) throw new ConfigError(`${flag} needs --baseline FILE`);
  }
}

/** Reads a `scan --format json` snapshot named by `flag` (`--input`, `--baseline`). */
export async function readSnapshot(file: string, flag: string): Promise<ScanResult> {
  const text = await readTextFile(file, "snapshot", `check ${flag}`, MAX_STRING_BYTES);
  return parseSnapshot(text, file);
}
