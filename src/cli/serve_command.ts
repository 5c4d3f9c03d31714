import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/model.ts";
import type { Logger } from "../log.ts";
import type { ApiCounts, ScanResult } from "../model.ts";
import { runScan } from "../scan/runner.ts";
import type { ScanFunction } from "../serve/refresher.ts";
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
import type { ResourceSource } from "../sources/source.ts";
import { prepareScan, type ScanSetup } from "./scan_command.ts";

export interface ServeCommandOptions extends CommonOptions, SourceOptions {
  host: string;
  port: number;
  refreshInterval?: string;
  schedule?: string;
  webConfig?: string;
  shutdownGrace: number;
}

/**
 * serve's "Exit codes" epilogue: serve ends with 0, 1 or 2 only (a scan's
 * failed targets are metrics and /health, not an exit code), so it does not
 * share the program's list of scan and report codes.
 */
export const SERVE_EXIT_CODES_HELP = `
Exit codes:
  0  clean shutdown (SIGTERM or SIGINT)
  1  unexpected runtime failure
  2  usage or config error found at startup, before any scan (bad config,
     schedule or web config, a TLS certificate or key rejected, or a port
     that cannot be bound)`;

/** Intervals /livez tolerates without a finished scan before it fails. */
const LIVENESS_INTERVALS = 3;

/** Adds the `serve` subcommand. Its action stores the exit code in `exit.code`. */
export function registerServe(program: Command, io: Io, exit: { code: number }): void {
  withSourceOptions(withCommonOptions(
    program.command("serve")
      .description(
        "serve /metrics from a cached snapshot refreshed on a schedule (the original Python " +
          "design's --web mode); --inventory is read afresh on every scan; one AWS source " +
          "(credentials, sessions) serves the whole process; SIGHUP scans now (never send " +
          "SIGUSR1: Deno opens its debugger on it)",
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
    .addHelpText("after", SERVE_EXIT_CODES_HELP)
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
  const scans = await serveScans(config, opts, io, log);
  try {
    return await runServe({
      hostname: opts.host,
      port: opts.port,
      schedule,
      scan: scans.scan,
      apiTotals: scans.apiTotals,
      detail: config.detailMetrics,
      status: {
        config,
        source: opts.inventory && opts.inventory.length > 0 ? "inventory" : "aws",
        livenessIntervals: LIVENESS_INTERVALS,
        maxScanSeconds: scans.maxScanSeconds,
      },
      web,
      shutdownGraceSeconds: opts.shutdownGrace,
      log,
    });
  } finally {
    await scans.close();
  }
}

/** What `serve` scans with, made once per process by `serveScans`. */
export interface ServeScans {
  readonly scan: ScanFunction;
  /** The AWS source's API counts since the process started ({} for inventories). */
  readonly apiTotals: () => Readonly<Record<string, ApiCounts>>;
  /** The longest a scan may take: target timeout x ceil(targets / concurrency). */
  readonly maxScanSeconds: number;
  /** Closes the AWS source; call once no scan runs. */
  close(): Promise<void>;
}

/**
 * Prepares serve's scans. The AWS source is built once and reused by every
 * scan, so base credentials are resolved once per process and assumed-role
 * sessions are kept until they near expiry; an inventory is read again on
 * every scan, so a changed file shows in the next one. The first scan's setup
 * is made here, so a bad source fails before the port opens.
 */
export async function serveScans(
  config: Config,
  opts: SourceOptions,
  io: Io,
  log: Logger,
): Promise<ServeScans> {
  const keepMissing = config.detailMetrics.enabled ? config.detailMetrics.maxSeries ?? Infinity : 0;
  const aws: ResourceSource | undefined = opts.inventory && opts.inventory.length > 0
    ? undefined
    : await io.awsSource(config, log);
  let prepared: ScanSetup | null;
  try {
    prepared = await prepareScan(config, opts, io, log, aws);
  } catch (e) {
    await aws?.close?.();
    throw e;
  }
  const first = prepared;
  return {
    scan: async (signal: AbortSignal): Promise<ScanResult> => {
      const setup = prepared ?? await prepareScan(config, opts, io, log, aws);
      prepared = null;
      try {
        return await runScan({ ...setup, keepMissing, log, signal });
      } finally {
        if (setup.source !== aws) await setup.source.close?.();
      }
    },
    apiTotals: () => aws?.apiCounts?.() ?? {},
    maxScanSeconds: config.aws.targetTimeoutSeconds *
      Math.ceil(first.targets.length / Math.max(1, first.concurrency)),
    close: async () => {
      // The first setup's inventory, if no scan ever took it.
      if (prepared !== null && prepared.source !== aws) await prepared.source.close?.();
      prepared = null;
      await aws?.close?.();
    },
  };
}
