import type { Config } from "../config/model.ts";
import { loadConfig } from "../config/load.ts";
import { ConfigError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
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
  const log = io.logger(opts);
  const config = await loadConfig(opts.config);
  if (opts.checkConfig) {
    io.stderr(configSummary(config));
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
  const metrics = (format: ExpositionFormat) =>
    exposition(result, { format, detail: config.detailMetrics });
  const chunks = opts.format === "json" ? snapshotChunks(result) : metrics(opts.format);
  // The file first: a failed push must not also lose the textfile output.
  if (opts.output !== undefined) await writeAtomic(opts.output, chunks);
  else if (!push) await io.stdout(chunks);
  if (push) {
    await pushMetrics(push.url, opts.pushJob, push.labels, metrics("prometheus"));
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

/** One line that says the config is valid and what it covers, then any warnings. */
export function configSummary(config: Config): string {
  const targets = config.accounts.reduce((n, a) => n + a.regions.length, 0);
  const ok =
    `${config.source}: OK: ${config.accounts.length} accounts, ${targets} account-regions, ` +
    `${config.requiredTags.length} required tags (${config.requiredTags.join(", ")})` +
    (config.rules
      ? `; tag rules for ${config.rules.tagRules.length} tags, key_case ${config.rules.keyCase}, ` +
        `${config.rules.prohibitedTags.length} prohibited tags`
      : "") +
    (config.awsTagPolicy ? "; AWS tag policy verdicts" : "");
  return [ok, ...config.warnings.map((w) => `warning: ${w}`)].join("\n");
}
