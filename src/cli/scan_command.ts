import { loadConfig } from "../config/load.ts";
import { withDiscoveryOutcome } from "../discovery_report.ts";
import { ConfigError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { warnDetailCapped } from "../metrics/detail_warning.ts";
import { exposition } from "../metrics/exposition.ts";
import type { ExpositionFormat } from "../metrics/registry.ts";
import type { ScanResult } from "../model.ts";
import { exitCodeOf } from "../outcome.ts";
import { checkOutputPath, writeAtomic } from "../output/atomic.ts";
import { parsePushLabel, pushMetrics, pushUrl } from "../output/push.ts";
import { ScanPlanner } from "../scan/plan.ts";
import { snapshotChunks } from "../snapshot.ts";
import type { Io } from "./io.ts";
import type { CommonOptions, SourceOptions } from "./options.ts";
import { writeSummary } from "./summary.ts";
import { writeConfigSummary } from "./validate_command.ts";

export type ScanFormat = ExpositionFormat | "json";

export interface ScanOptions extends CommonOptions, SourceOptions {
  output?: string;
  format: ScanFormat;
  checkConfig: boolean;
  push?: string;
  pushJob: string;
  pushLabel?: string[];
}

/**
 * `scan`: one scan, written as Prometheus text, OpenMetrics or a JSON
 * snapshot to stdout or atomically to `--output`. Logs and the summary go to
 * stderr. Returns 0, 3 when some targets failed (their `_up` is 0 and the
 * rest is still written) or 5 when all failed.
 */
export async function scanCommand(opts: ScanOptions, io: Io): Promise<number> {
  if (opts.push !== undefined && opts.format === "json") {
    // The Pushgateway takes metrics only: pushing text here would ignore --format silently.
    throw new ConfigError(
      "--push sends Prometheus metrics and cannot be used with --format json " +
        "(write the snapshot with --output in a separate run, or drop --format json)",
    );
  }
  const log = io.logger(opts);
  const config = await loadConfig(opts.config);
  if (opts.checkConfig) {
    writeConfigSummary(io, opts, config);
    return ExitCode.Ok;
  }
  const push = opts.push === undefined ? null : pushTarget(opts);
  if (opts.output !== undefined) await checkOutputPath(opts.output);
  const planner = await ScanPlanner.open(
    config,
    opts,
    opts.format === "json" ? "everything" : "metrics",
    { log, awsSource: io.awsSource },
  );
  let result: ScanResult;
  try {
    result = await planner.run({ log, progress: (n) => io.progress(opts, n) });
  } finally {
    await planner.close();
  }
  const discovery = planner.discoveryReport();
  const metrics = (format: ExpositionFormat) =>
    exposition(result, { format, detail: config.detailMetrics, discovery });
  const chunks = opts.format === "json" ? snapshotChunks(result) : metrics(opts.format);
  // The file first: a failed push must not also lose the textfile output.
  if (opts.output !== undefined) await writeAtomic(opts.output, chunks);
  else if (!push) await io.stdout(chunks);
  if (push) {
    await pushMetrics(push.url, opts.pushJob, push.labels, metrics("prometheus"));
  }
  // A JSON snapshot keeps every detail; metrics are cut at max_series.
  if (opts.format !== "json") warnDetailCapped(log, result, config.detailMetrics);
  writeSummary(io, log, opts, result);
  return withDiscoveryOutcome(exitCodeOf(result), discovery);
}

/** Checks the push flags before scanning, so a typo does not waste a scan. */
function pushTarget(opts: ScanOptions): { url: string; labels: Record<string, string> } {
  try {
    const labels = Object.fromEntries((opts.pushLabel ?? []).map(parsePushLabel));
    pushUrl(opts.push!, opts.pushJob, labels);
    return { url: opts.push!, labels };
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}
