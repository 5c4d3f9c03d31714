import type { Command } from "commander";
import { runServe } from "../serve/server.ts";
import { REFRESH_ENV } from "../serve/schedule.ts";
import { loadWebConfig, type WebConfig } from "../serve/web_config.ts";
import type { Io } from "./io.ts";
import { exporterLabels, type LabelFlags, withLabelOption } from "./label_flags.ts";
import {
  type CommonOptions,
  secondsArg,
  type SourceOptions,
  withCommonOptions,
  withSourceOptions,
} from "./options.ts";
import { resolveServeWeb, type ServeWebFlags, withServeWebFlags } from "./serve_flags.ts";
import { ConfigReloader } from "./serve_reload.ts";

export interface ServeCommandOptions
  extends CommonOptions, SourceOptions, ServeWebFlags, LabelFlags {
  refreshInterval?: string;
  schedule?: string;
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
  withLabelOption(withServeWebFlags(withSourceOptions(withCommonOptions(
    program.command("serve")
      .description(
        "serve /metrics from a cached snapshot refreshed on a schedule (the original Python " +
          "design's --web mode); --inventory is read afresh, and aws_organization discovered " +
          "again, on every scan; one AWS source (credentials, sessions) serves every scan " +
          "until a reload changes its settings. SIGHUP (and POST /-/reload with " +
          "--web.enable-lifecycle) re-reads and validates the config: a valid one applies " +
          "from the next scan, which it starts now; an invalid one is logged and changes " +
          "nothing (aws_tag_exporter_config_last_reload_successful 0), and SIGHUP scans " +
          "anyway. The web config is read once. Never send SIGUSR1: Deno opens its debugger " +
          "on it",
      ),
  ))))
    .option(
      "--refresh-interval <duration>",
      "time between scans, in whole minutes: seconds or a Prometheus duration, e.g. 300 or 5m " +
        `(default: env ${REFRESH_ENV}, else config refresh_interval, else 5m)`,
    )
    .option("--schedule <cron>", 'scan on this UTC cron schedule instead, e.g. "0 * * * *"')
    .option(
      "--shutdown-grace <duration>",
      "on SIGTERM/SIGINT, let a running scan finish this long before aborting it " +
        "(seconds or a duration, e.g. 20 or 1m; at most 1h)",
      secondsArg(0, 3600),
      20,
    )
    .addHelpText("after", SERVE_EXIT_CODES_HELP)
    .action(async (opts: ServeCommandOptions, cmd: Command) => {
      exit.code = await serveCommand(opts, io, cmd);
    });
}

/**
 * `serve`: validates everything up front (web config, config, schedule, and
 * the source, by preparing the first scan) so a mistake exits 2 before the
 * port opens, then runs until SIGTERM or SIGINT and returns 0. SIGHUP (and
 * `POST /-/reload` with `--web.enable-lifecycle`) re-reads the config
 * (`ConfigReloader`); the web config is read once.
 */
export async function serveCommand(
  opts: ServeCommandOptions,
  io: Io,
  cmd: Command,
): Promise<number> {
  const log = io.logger(opts);
  const listen = resolveServeWeb(opts, cmd);
  const web: WebConfig = listen.webConfig
    ? await loadWebConfig(listen.webConfig)
    : { tls: null, users: new Map() };
  const configs = await ConfigReloader.open({
    configFile: opts.config,
    flags: opts,
    schedule: { schedule: opts.schedule, flag: opts.refreshInterval, env: io.env(REFRESH_ENV) },
    io,
    log,
  });
  const live = configs.live;
  try {
    return await runServe({
      hostname: listen.hostname,
      port: listen.port,
      metricsPath: listen.metricsPath,
      schedule: configs.schedule,
      scan: (signal) => configs.scan(signal),
      apiTotals: () => live.apiTotals(),
      discovery: () => live.current.planner.discoveryReport(),
      detail: () => live.current.config.detailMetrics,
      labels: () => exporterLabels(live.current.config, opts),
      status: {
        get config() {
          return live.current.config;
        },
        get source() {
          return live.current.planner.sourceKind;
        },
        livenessIntervals: LIVENESS_INTERVALS,
        // Read at each /livez check: discovery changes the target count per scan.
        maxScanSeconds: () => live.current.planner.maxScanSeconds(),
      },
      web,
      reload: () => configs.reload(),
      lifecycle: listen.lifecycle,
      shutdownGraceSeconds: opts.shutdownGrace,
      limits: { maxConnections: opts.maxConnections },
      log,
    });
  } finally {
    await configs.close();
  }
}
