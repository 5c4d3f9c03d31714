import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import { type DiscoveryReport, withDiscoveryOutcome } from "../discovery_report.ts";
import type { ScanResult } from "../model.ts";
import { checkOutputPath, writeAtomic } from "../output/atomic.ts";
import { writeSummary } from "./summary.ts";
import { gatedReport, reportExitCode } from "../report/gate.ts";
import { renderMarkdown } from "../report/markdown.ts";
import type { GateFinding } from "../report/model.ts";
import { renderReport } from "../report/render.ts";
import { visible } from "../report/visible.ts";
import { assertComparable, DEFAULT_MIN_BASELINE_OVERLAP } from "../report/overlap.ts";
import { assertKnownTags } from "../report/thresholds.ts";
import { assertRulesFor } from "../report/reason_gate.ts";
import { ScanPlanner } from "../scan/plan.ts";
import type { Io } from "./io.ts";
import { type ReportOptions, withReportOptions } from "./report_flags.ts";
import { assertBaselineFlags, readSnapshot } from "./report_inputs.ts";

/**
 * An `Io` that can say whether stdout is a terminal. `Io` has no such member
 * yet, so `report` asks the process when the member is absent; tests pass it.
 */
export interface TerminalAwareIo extends Io {
  stdoutIsTerminal?(): boolean;
}

/**
 * Adds the `report` subcommand: render a compliance report from a live scan
 * or a saved snapshot, and gate on thresholds or a baseline.
 */
export function registerReport(program: Command, io: Io, exit: { code: number }): void {
  withReportOptions(
    program.command("report")
      .description("report compliance from a scan or a snapshot, and gate CI on it"),
  ).action(async (opts: ReportOptions) => {
    exit.code = await reportCommand(opts, io);
  });
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
  const code = withDiscoveryOutcome(reportExitCode(report), discovery);
  // The gate's verdict and the final exit code, so a log shipper never records success for exit 4.
  const outcome = { gate: report.gate.findings.length > 0 ? "broken" : "passed", exit_code: code };
  if (opts.input === undefined) writeSummary(io, log, opts, result, code, { gate: outcome.gate });
  else writeSnapshotNote(io, opts, opts.input, result, outcome);
  for (const f of report.gate.findings) {
    if (json) log.error(findingLine(f), { finding: f.kind });
    else io.stderr(findingLine(f));
  }
  return code;
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
function writeSnapshotNote(
  io: Io,
  opts: ReportOptions,
  file: string,
  result: ScanResult,
  outcome: Readonly<Record<string, string | number>>,
): void {
  if (opts.quiet) return;
  // Not checked by parseSnapshot: a hand-edited file may lack it or hold anything.
  const finished = typeof result.finishedAt === "string" ? result.finishedAt : "an unknown time";
  if (opts.logFormat === "json") {
    io.logger(opts).info("report from snapshot", {
      input: file,
      finished_at: finished,
      ...outcome,
    });
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
