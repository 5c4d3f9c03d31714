import { type Command, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../config/load.ts";
import { type DiscoveryReport, withDiscoveryOutcome } from "../discovery_report.ts";
import type { ScanResult } from "../model.ts";
import { checkOutputPath, writeAtomic } from "../output/atomic.ts";
import { writeSummary } from "./summary.ts";
import { gatedReport, reportExitCode } from "../report/gate.ts";
import { renderMarkdown } from "../report/markdown.ts";
import type { GateFinding } from "../report/model.ts";
import { renderReport, REPORT_FORMATS, type ReportFormat } from "../report/render.ts";
import { visible } from "../report/visible.ts";
import { assertComparable, DEFAULT_MIN_BASELINE_OVERLAP } from "../report/overlap.ts";
import { assertKnownTags, parseTagThreshold, type TagThreshold } from "../report/thresholds.ts";
import {
  assertRulesFor,
  parseReasonThreshold,
  type ReasonThreshold,
} from "../report/reason_gate.ts";
import { ScanPlanner } from "../scan/plan.ts";
import type { Io } from "./io.ts";
import {
  type CommonOptions,
  intArg,
  numberArg,
  type SourceOptions,
  withCommonOptions,
  withSourceOptions,
} from "./options.ts";
import { assertBaselineFlags, readSnapshot } from "./report_inputs.ts";

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

/**
 * An `Io` that can say whether stdout is a terminal. `Io` has no such member
 * yet, so `report` asks the process when the member is absent; tests pass it.
 */
export interface TerminalAwareIo extends Io {
  stdoutIsTerminal?(): boolean;
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
 * Adds the `report` subcommand: render a compliance report from a live scan
 * or a saved snapshot, and gate on thresholds or a baseline.
 */
export function registerReport(program: Command, io: Io, exit: { code: number }): void {
  withSourceOptions(withCommonOptions(
    program.command("report")
      .description("report compliance from a scan or a snapshot, and gate CI on it"),
  ))
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
    .addHelpText("after", REPORT_HELP)
    .action(async (opts: ReportOptions) => {
      exit.code = await reportCommand(opts, io);
    });
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

/**
 * `report`: builds the report from `--input` or a live scan, writes it to
 * stdout or `--output`, appends markdown to `$GITHUB_STEP_SUMMARY`, prints
 * one stderr line per gate finding and returns the exit code (see
 * `reportExitCode`). Inputs are all read before the scan starts, so a bad
 * flag or file fails fast with exit 2.
 */
export async function reportCommand(opts: ReportOptions, io: TerminalAwareIo): Promise<number> {
  assertBaselineFlags(opts);
  if (opts.output !== undefined) await checkOutputPath(opts.output);
  const thresholds = {
    failUnder: opts.failUnder,
    failUnderTag: opts.failUnderTag ?? [],
    maxNonCompliant: opts.maxNonCompliant,
  };
  const baseline = opts.baseline === undefined
    ? undefined
    : await readSnapshot(opts.baseline, "--baseline");
  let result: ScanResult;
  let discovery: DiscoveryReport | null = null;
  if (opts.input !== undefined) {
    result = await readSnapshot(opts.input, "--input");
    assertKnownTags(thresholds, result.requiredTags, opts.input);
    assertRulesFor(opts.failOnReason, result.rules !== undefined, opts.input);
  } else {
    const log = io.logger(opts);
    const config = await loadConfig(opts.config);
    assertKnownTags(thresholds, config.requiredTags, config.source);
    assertRulesFor(opts.failOnReason, config.rules !== null, config.source);
    const planner = await ScanPlanner.open(config, opts, "everything", {
      log,
      awsSource: io.awsSource,
    });
    try {
      result = await planner.run({ log, progress: (n) => io.progress(opts, n) });
      discovery = planner.discoveryReport();
    } finally {
      await planner.close();
    }
  }
  if (baseline !== undefined) {
    const min = opts.minBaselineOverlap ?? DEFAULT_MIN_BASELINE_OVERLAP;
    assertComparable(result, baseline, min, opts.baseline!);
  }
  const report = gatedReport(result, opts.top, {
    ...thresholds,
    baseline,
    tolerance: opts.tolerance ?? 0,
    maxNewViolations: opts.maxNewViolations ?? 0,
    failOnReason: opts.failOnReason,
  });

  const terminal = opts.output === undefined && stdoutIsTerminal(io);
  const format = opts.format ?? (terminal ? "table" : "markdown");
  const noColor = (io.env("NO_COLOR") ?? "") !== "";
  const text = renderReport(report, format, { color: terminal && !noColor });
  if (opts.output !== undefined) await writeAtomic(opts.output, [text]);
  else await io.stdout([text]);

  // With --log-format json every stderr line is a JSON log object.
  const json = opts.logFormat === "json";
  const log = io.logger(opts);
  const summary = io.env("GITHUB_STEP_SUMMARY");
  if (summary) {
    try {
      await Deno.writeTextFile(summary, renderMarkdown(report) + "\n", { append: true });
    } catch (e) {
      const message = `could not append to GITHUB_STEP_SUMMARY ${summary}: ${(e as Error).message}`;
      if (json) log.warn(message);
      else io.stderr(`warning: ${message}`);
    }
  }
  if (opts.input === undefined) writeSummary(io, log, opts, result);
  else writeSnapshotNote(io, opts, opts.input, result);
  for (const f of report.gate.findings) {
    if (json) log.error(findingLine(f), { finding: f.kind });
    else io.stderr(findingLine(f));
  }
  return withDiscoveryOutcome(reportExitCode(report), discovery);
}

/** One stderr line for a gate finding. */
export function findingLine(f: GateFinding): string {
  const regression = f.kind === "overall-drop" || f.kind === "tag-drop" ||
    f.kind === "new-violations";
  return `${regression ? "regression" : "below threshold"}: ${f.message}`;
}

/**
 * With `--input` nothing was scanned, so instead of a scan summary (which
 * would read as if the snapshot's resources had just been scanned) stderr
 * says where the data comes from and how old it is.
 */
function writeSnapshotNote(io: Io, opts: ReportOptions, file: string, result: ScanResult): void {
  if (opts.quiet) return;
  // Not checked by parseSnapshot: a hand-edited file may lack it or hold anything.
  const finished = typeof result.finishedAt === "string" ? result.finishedAt : "an unknown time";
  if (opts.logFormat === "json") {
    io.logger(opts).info("report from snapshot", { input: file, finished_at: finished });
    return;
  }
  io.stderr(
    `report from snapshot ${JSON.stringify(file)} of a scan finished at ` +
      `${visible(finished, false)}; no new scan was run`,
  );
}

function stdoutIsTerminal(io: TerminalAwareIo): boolean {
  return io.stdoutIsTerminal?.() ?? Deno.stdout.isTerminal();
}
