import { loadConfig } from "../config/load.ts";
import { withDiscoveryOutcome } from "../discovery_report.ts";
import { ConfigError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { warnDetailCapped } from "../metrics/detail_warning.ts";
import { exposition } from "../metrics/exposition.ts";
import type { ConstLabels } from "../metrics/const_labels.ts";
import type { ExpositionFormat } from "../metrics/registry.ts";
import type { ScanResult } from "../model.ts";
import { exitCodeOf } from "../outcome.ts";
import { checkOutputPath, writeAtomic } from "../output/atomic.ts";
import { parsePushLabel, pushMetrics, pushUrl } from "../output/push.ts";
import { ScanPlanner } from "../scan/plan.ts";
import { snapshotChunks } from "../snapshot.ts";
import type { Io } from "./io.ts";
import { exporterLabels, type LabelFlags } from "./label_flags.ts";
import type { CommonOptions, SourceOptions } from "./options.ts";
import { writeSummary } from "./summary.ts";
import { writeConfigSummary } from "./validate_command.ts";

export type ScanFormat = ExpositionFormat | "json";

export interface ScanOptions extends CommonOptions, SourceOptions, LabelFlags {
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
  const labels = exporterLabels(config, opts);
  const metrics = (format: ExpositionFormat, labels: ConstLabels) =>
    exposition(result, { format, detail: config.detailMetrics, discovery, labels });
  const chunks = opts.format === "json" ? snapshotChunks(result) : metrics(opts.format, labels);
  // The file first: a failed push must not also lose the textfile output.
  if (opts.output !== undefined) await writeAtomic(opts.output, chunks);
  else if (!push) await io.stdout(chunks);
  if (push) {
    const body = metrics("prometheus", withoutNames(labels, push.labels));
    await pushMetrics(push.url, opts.pushJob, push.labels, body);
  }
  // A JSON snapshot keeps every detail; metrics are cut at max_series.
  if (opts.format !== "json") warnDetailCapped(log, result, config.detailMetrics);
  const code = withDiscoveryOutcome(exitCodeOf(result), discovery);
  writeSummary(io, log, opts, result, code);
  return code;
}

/**
 * Checks the push flags before scanning, so a typo does not waste a scan.
 * With `--shard`, the shard is part of the group (unless a `--push-label
 * shard=...` names it), so shards pushing to one gateway never replace each
 * other's group.
 */
function pushTarget(opts: ScanOptions): { url: string; labels: Record<string, string> } {
  try {
    const labels = Object.fromEntries((opts.pushLabel ?? []).map(parsePushLabel));
    if (opts.shard && !Object.hasOwn(labels, "shard")) {
      labels.shard = `${opts.shard.index}/${opts.shard.count}`;
    }
    pushUrl(opts.push!, opts.pushJob, labels);
    return { url: opts.push!, labels };
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/**
 * The constant labels without those the push group sets: the Pushgateway
 * overwrites a pushed label with the grouping label of the same name
 * (measured with prometheus-pushgateway 1.5.1), so they are left to the group.
 */
function withoutNames(labels: ConstLabels, group: Readonly<Record<string, string>>): ConstLabels {
  return Object.fromEntries(Object.entries(labels).filter(([name]) => !Object.hasOwn(group, name)));
}
