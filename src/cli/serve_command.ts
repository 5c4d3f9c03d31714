import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import type { ScanResult } from "../model.ts";
import { runScan } from "../scan/runner.ts";
import { runServe } from "../serve/server.ts";
import { REFRESH_ENV, resolveSchedule } from "../serve/schedule.ts";
import { loadWebConfig, type WebConfig } from "../serve/web_config.ts";
import type { Io } from "./io.ts";
import {
  type CommonOptions,
  intArg,
  type SourceOptions,
  withCommonOptions,
  withSourceOptions,
} from "./options.ts";
import { prepareScan, type ScanSetup } from "./scan_command.ts";

export interface ServeCommandOptions extends CommonOptions, SourceOptions {
  host: string;
  port: number;
  refreshInterval?: string;
  schedule?: string;
  webConfig?: string;
  shutdownGrace: number;
}

/** Intervals /livez tolerates without a finished scan before it fails. */
const LIVENESS_INTERVALS = 3;

/** Adds the `serve` subcommand. Its action stores the exit code in `exit.code`. */
export function registerServe(program: Command, io: Io, exit: { code: number }): void {
  withSourceOptions(withCommonOptions(
    program.command("serve")
      .description(
        "serve /metrics from a cached snapshot refreshed on a schedule (the seed's --web mode); " +
          "the source (--inventory or AWS) is read afresh on every scan",
      ),
  ))
    .option("--host <host>", "address to listen on", "0.0.0.0")
    .option("-p, --port <port>", "port to listen on (0: any free port)", intArg(0, 65535), 8080)
    .option(
      "--refresh-interval <seconds>",
      `seconds between scans, a whole number of minutes (default: env ${REFRESH_ENV}, ` +
        "else config refresh_interval, else 300)",
    )
    .option("--schedule <cron>", 'scan on this UTC cron schedule instead, e.g. "0 * * * *"')
    .option("--web-config <file>", "exporter-toolkit web config: TLS and basic auth")
    .option(
      "--shutdown-grace <seconds>",
      "on SIGTERM/SIGINT, let a running scan finish this long before aborting it",
      intArg(0, 3600),
      20,
    )
    .action(async (opts: ServeCommandOptions) => {
      exit.code = await serveCommand(opts, io);
    });
}

/**
 * `serve`: validates everything up front (config, schedule, web config, and
 * the source, by preparing the first scan) so a mistake exits 2 before the
 * port opens, then runs until SIGTERM or SIGINT and returns 0.
 */
export async function serveCommand(opts: ServeCommandOptions, io: Io): Promise<number> {
  const log = io.logger(opts);
  const config = await loadConfig(opts.config);
  const schedule = resolveSchedule({
    schedule: opts.schedule,
    flag: opts.refreshInterval,
    env: io.env(REFRESH_ENV),
    config: config.refreshIntervalSeconds,
    configFile: config.source,
  });
  const web: WebConfig = opts.webConfig
    ? await loadWebConfig(opts.webConfig)
    : { tls: null, users: new Map() };
  const keepMissing = config.detailMetrics.enabled ? config.detailMetrics.maxSeries ?? Infinity : 0;
  let prepared: ScanSetup | null = await prepareScan(config, opts, io, log);
  const scan = async (signal: AbortSignal): Promise<ScanResult> => {
    // Each scan prepares its source afresh, so inventory files (or AWS
    // credentials) changed since the last scan are read again.
    const setup = prepared ?? await prepareScan(config, opts, io, log);
    prepared = null;
    try {
      return await runScan({ ...setup, keepMissing, log, signal });
    } finally {
      await setup.source.close?.();
    }
  };
  return await runServe({
    hostname: opts.host,
    port: opts.port,
    schedule,
    scan,
    detail: config.detailMetrics,
    status: {
      config,
      source: opts.inventory && opts.inventory.length > 0 ? "inventory" : "aws",
      livenessIntervals: LIVENESS_INTERVALS,
    },
    web,
    shutdownGraceSeconds: opts.shutdownGrace,
    log,
  });
}
