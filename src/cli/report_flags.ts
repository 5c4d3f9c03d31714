import { type Command, InvalidArgumentError, Option } from "commander";
import { REPORT_FORMATS, type ReportFormat } from "../report/render.ts";
import { DEFAULT_MIN_BASELINE_OVERLAP } from "../report/overlap.ts";
import { parseReasonThreshold, type ReasonThreshold } from "../report/reason_gate.ts";
import { parseTagThreshold, type TagThreshold } from "../report/thresholds.ts";
import {
  type CommonOptions,
  intArg,
  numberArg,
  type SourceOptions,
  withCommonOptions,
  withSourceOptions,
} from "./options.ts";

/** `report`'s flags as commander parses them. */
export interface ReportOptions extends CommonOptions, SourceOptions {
  input?: string;
  format?: ReportFormat;
  output?: string;
  top: number;
  failUnder?: number;
  failUnderTag?: TagThreshold[];
  maxNonCompliant?: number;
  failOnReason?: ReasonThreshold[];
  baseline?: string;
  tolerance?: number;
  maxNewViolations?: number;
  minBaselineOverlap?: number;
}

const REPORT_HELP = `
Default format: table when stdout is a terminal and there is no --output, else markdown.
Colour: table only, on a terminal, unless NO_COLOR is set.
When GITHUB_STEP_SUMMARY is set, the markdown report is appended to that file too.

Exit codes:
  0  every threshold met and every account-region scanned
  1  runtime failure (report not written)
  2  usage, config or input error, or --fail-under-tag names a tag that is not
     required, or a --baseline that cannot judge this scan (no required tag or too
     few account-regions in common, see --min-baseline-overlap)
  3  some account-regions failed (the report covers the rest), or AWS Organizations
     discovery failed and the matrix accounts were scanned; no threshold broken
  4  a threshold (including --fail-on-reason) or the baseline gate was broken;
     one stderr line each.
     4 wins over 3: a broken gate fails the step even when the scan was partial.
  5  every account-region failed: nothing was scanned (the report lists the failures)`;

/**
 * Adds `report`'s flags and help to `cmd`: the source and common flags, the
 * format and output, and the gate (thresholds, reasons, baseline).
 */
export function withReportOptions(cmd: Command): Command {
  return withSourceOptions(withCommonOptions(cmd))
    .addOption(
      new Option("--input <file>", "render this snapshot (scan --format json) instead of scanning")
        .conflicts(["inventory", "concurrency", "shard"]),
    )
    .addOption(
      new Option(
        "-f, --format <format>",
        "report format (default: table on a terminal, else markdown)",
      )
        .choices(REPORT_FORMATS),
    )
    .option("-o, --output <file>", "write the report to this file atomically instead of stdout")
    .option("--top <n>", "worst offenders to list", intArg(0, 100_000), 10)
    .option("--fail-under <pct>", "exit 4 when overall compliance is below PCT", numberArg(0, 100))
    .option(
      "--fail-under-tag <tag=pct>",
      "exit 4 when compliance of TAG is below PCT (repeatable)",
      tagThresholdArg,
    )
    .option(
      "--max-non-compliant <n>",
      "exit 4 when more than N resources miss a required tag",
      intArg(0),
    )
    .option(
      "--fail-on-reason <reason=n>",
      "exit 4 when more than N resources have outcome REASON (missing, wrong_case, empty, " +
        "invalid_value, prohibited; needs tag rules; repeatable)",
      reasonThresholdArg,
    )
    .option(
      "--baseline <file>",
      "exit 4 on regression against this earlier snapshot: new violations or a compliance drop",
    )
    .option(
      "--tolerance <points>",
      "percentage points compliance may fall below the baseline (default 0)",
      numberArg(0, 100),
    )
    .option(
      "--max-new-violations <n>",
      "new violations since the baseline allowed before exit 4 (default 0)",
      intArg(0),
    )
    .option(
      "--min-baseline-overlap <pct>",
      "exit 2 when fewer than PCT % of the account-regions scanned now were scanned in the " +
        `baseline (default ${DEFAULT_MIN_BASELINE_OVERLAP})`,
      numberArg(0, 100),
    )
    .addHelpText("after", REPORT_HELP);
}

function reasonThresholdArg(value: string, previous: ReasonThreshold[] = []): ReasonThreshold[] {
  try {
    return [...previous, parseReasonThreshold(value)];
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function tagThresholdArg(value: string, previous: TagThreshold[] = []): TagThreshold[] {
  try {
    return [...previous, parseTagThreshold(value)];
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}
