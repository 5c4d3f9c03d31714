import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import { ScanPlanner } from "../scan/plan.ts";
import { DEFAULT_LIMITS } from "../serve/connection_guard.ts";
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

export interface ServeCommandOptions extends CommonOptions, SourceOptions {
  host: string;
  port: number;
  refreshInterval?: string;
  schedule?: string;
  webConfig?: string;
  shutdownGrace: number;
  maxConnections: number;
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
          "design's --web mode); --inventory is read afresh, and aws_organization discovered " +
          "again, on every scan; one AWS source " +
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
    .option(
      "--max-connections <n>",
      "connections kept open at once; one more closes the longest-idle (keep it under half " +
        "of ulimit -n)",
      intArg(1, 65535),
      DEFAULT_LIMITS.maxConnections,
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
  // The first plan is made now, so a bad source fails before the port opens.
  const planner = await ScanPlanner.open(config, opts, "metrics", {
    log,
    // Every scan reuses the clients of the last (signing keys, sessions, connections).
    awsSource: (config, log) => io.awsSource(config, log, { keepClients: true }),
    keepLastList: true,
  });
  try {
    return await runServe({
      hostname: opts.host,
      port: opts.port,
      schedule,
      scan: (signal) => planner.run({ log, signal }),
      apiTotals: () => planner.apiTotals(),
      discovery: () => planner.discoveryReport(),
      detail: config.detailMetrics,
      status: {
        config,
        source: planner.sourceKind,
        livenessIntervals: LIVENESS_INTERVALS,
        // Read at each /livez check: discovery changes the target count per scan.
        maxScanSeconds: () => planner.maxScanSeconds(),
      },
      web,
      shutdownGraceSeconds: opts.shutdownGrace,
      limits: { maxConnections: opts.maxConnections },
      log,
    });
  } finally {
    await planner.close();
  }
}
