import type { Config } from "../config/model.ts";
import { DEFAULTS } from "../config/model.ts";
import { loadConfig } from "../config/load.ts";
import { ExitCode } from "../exit_codes.ts";
import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { exposition } from "../metrics/exposition.ts";
import type { ExpositionFormat } from "../metrics/registry.ts";
import { checkOutputPath, writeAtomic } from "../output/atomic.ts";
import { ConfigError } from "../errors.ts";
import { parsePushLabel, pushMetrics, pushUrl } from "../output/push.ts";
import { runScan } from "../scan/runner.ts";
import { shardTargets } from "../scan/shard.ts";
import { exitCodeOf } from "../scan/totals.ts";
import { writeSummary } from "./summary.ts";
import { snapshotChunks } from "../snapshot.ts";
import { loadInventory } from "../sources/inventory.ts";
import type { ResourceSource, Target } from "../sources/source.ts";
import { targetsOf } from "../sources/source.ts";
import type { CommonOptions, SourceOptions } from "./options.ts";
import type { Io } from "./io.ts";

export type ScanFormat = ExpositionFormat | "json";

export interface ScanOptions extends CommonOptions, SourceOptions {
  output?: string;
  format: ScanFormat;
  checkConfig: boolean;
  push?: string;
  pushJob: string;
  pushLabel?: string[];
}

/** What a scan needs besides options: made by `prepareScan`, shared with `report` and `serve`. */
export interface ScanSetup {
  readonly config: Config;
  readonly source: ResourceSource;
  readonly targets: readonly Target[];
  readonly concurrency: number;
}

/**
 * `scan`: one scan, written as Prometheus text, OpenMetrics or a JSON
 * snapshot to stdout or atomically to `--output`. Logs and the summary go to
 * stderr. Returns 0, 3 when some targets failed (their `_up` is 0 and the
 * rest is still written) or 5 when all failed.
 */
export async function scanCommand(opts: ScanOptions, io: Io): Promise<number> {
  const log = io.logger(opts);
  const config = await loadConfig(opts.config);
  if (opts.checkConfig) {
    io.stderr(configSummary(config));
    return ExitCode.Ok;
  }
  const push = opts.push === undefined ? null : pushTarget(opts);
  if (opts.output !== undefined) await checkOutputPath(opts.output);
  const setup = await prepareScan(config, opts, io, log);
  const keepMissing = opts.format === "json"
    ? Infinity
    : config.detailMetrics.enabled
    ? config.detailMetrics.maxSeries ?? Infinity
    : 0;
  let result: ScanResult;
  try {
    result = await runScan({
      ...setup,
      keepMissing,
      log,
      onProgress: io.progress(opts, setup.targets.length),
    });
  } finally {
    await setup.source.close?.();
  }
  const chunks = opts.format === "json"
    ? snapshotChunks(result)
    : exposition(result, opts.format, config.detailMetrics);
  // The file first: a failed push must not also lose the textfile output.
  if (opts.output !== undefined) await writeAtomic(opts.output, chunks);
  else if (!push) await io.stdout(chunks);
  if (push) {
    await pushMetrics(
      push.url,
      opts.pushJob,
      push.labels,
      exposition(result, "prometheus", config.detailMetrics),
    );
  }
  writeSummary(io, log, opts, result);
  return exitCodeOf(result);
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

/**
 * Builds the source, target list and pool size from config and flags.
 * `awsSource`, when given, is used instead of building a new AWS source (serve
 * keeps one for the process); an inventory source is always read afresh.
 */
export async function prepareScan(
  config: Config,
  opts: SourceOptions,
  io: Io,
  log: Logger,
  awsSource?: ResourceSource,
): Promise<ScanSetup> {
  const all = targetsOf(config.accounts);
  const targets = opts.shard ? shardTargets(all, opts.shard) : all;
  if (opts.shard && targets.length === 0) {
    log.warn("this shard has no accounts; it exports only self-metrics", {
      shard: `${opts.shard.index}/${opts.shard.count}`,
    });
  }
  const source = opts.inventory && opts.inventory.length > 0
    ? await loadInventory(opts.inventory, config.accounts, log)
    : awsSource ?? await io.awsSource(config, log);
  return {
    config,
    source,
    targets,
    concurrency: opts.concurrency ?? config.concurrency ?? DEFAULTS.concurrency,
  };
}

/** One line that says the config is valid and what it covers, then any warnings. */
export function configSummary(config: Config): string {
  const targets = config.accounts.reduce((n, a) => n + a.regions.length, 0);
  const ok =
    `${config.source}: OK: ${config.accounts.length} accounts, ${targets} account-regions, ` +
    `${config.requiredTags.length} required tags (${config.requiredTags.join(", ")})`;
  return [ok, ...config.warnings.map((w) => `warning: ${w}`)].join("\n");
}
