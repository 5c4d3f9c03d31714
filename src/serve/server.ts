import type { DetailMetricsConfig } from "../config/model.ts";
import type { ConstLabels } from "../metrics/const_labels.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import type { ApiCounts } from "../model.ts";
import { hostPort } from "./address.ts";
import { BasicAuth } from "./basic_auth.ts";
import { bindServer } from "./bind.ts";
import { createHandler, type ReloadResult } from "./handler.ts";
import type { ConnectionLimits } from "./http_listener.ts";
import { Refresher, type ScanFunction } from "./refresher.ts";
import { ScanTriggers } from "./scan_triggers.ts";
import type { Schedule } from "./schedule.ts";
import { SelfMetrics } from "./self_metrics.ts";
import { serveSignals } from "./signals.ts";
import type { StatusContext } from "./status.ts";
import type { WebConfig } from "./web_config.ts";

/** A config reload's outcome: on success, the schedule it gives. */
export type ReloadOutcome =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly error: string };

export interface ServeOptions {
  readonly hostname: string;
  /** 0 picks a free port; the bound one is logged. */
  readonly port: number;
  /** The metrics endpoint (`--web.telemetry-path`); default `/metrics`. */
  readonly metricsPath?: string;
  readonly schedule: Schedule;
  readonly scan: ScanFunction;
  /**
   * The cumulative AWS API counts of the process's long-lived source, read
   * after every scan whatever its outcome. Absent: each result's own counts.
   */
  readonly apiTotals?: () => Readonly<Record<string, ApiCounts>>;
  /**
   * Where the last scan's accounts came from (`aws_organization`,
   * `regions: all`), read after every scan: /health, the status page and
   * the discovery self-metrics show it.
   */
  readonly discovery?: () => DiscoveryReport | null;
  /** Read at every snapshot: a function when a reload can change it. */
  readonly detail: DetailMetricsConfig | (() => DetailMetricsConfig);
  /**
   * Constant labels on every series, snapshot and self-metrics alike; read
   * at start and at every snapshot (a reload can change them). Default none.
   */
  readonly labels?: () => ConstLabels;
  /** Read at every request: a reload may change `config` and `source` (getters). */
  readonly status: Omit<StatusContext, "schedule" | "startedAt" | "web" | "metricsPath">;
  readonly web: WebConfig;
  /**
   * Re-reads the config (SIGHUP; `POST /-/reload` with `lifecycle`). On
   * success its schedule applies at once and the rest from the next scan,
   * which the reload starts. Absent: SIGHUP only scans now.
   */
  readonly reload?: () => Promise<ReloadOutcome>;
  /** Serve `POST /-/reload` (`--web.enable-lifecycle`); needs `reload`. */
  readonly lifecycle?: boolean;
  /** Seconds an in-progress scan may take to finish at shutdown before it is aborted. */
  readonly shutdownGraceSeconds: number;
  readonly log?: Logger;
  /**
   * Stops the server like SIGTERM. When given, no signal listeners are
   * installed (in-process tests); otherwise the signals of `serveSignals`
   * (SIGTERM and SIGINT stop it and SIGHUP reloads the config and scans
   * now; on Windows SIGINT and SIGBREAK stop it).
   */
  readonly stop?: AbortSignal;
  readonly onListen?: (addr: Deno.NetAddr) => void;
  /** Connection cap and timeouts; the defaults are `DEFAULT_LIMITS` (tests lower them). */
  readonly limits?: Partial<ConnectionLimits>;
}

/**
 * Runs `serve` until SIGTERM or SIGINT (or `stop`) and resolves with exit
 * code 0 after a graceful shutdown: scheduling stops, a running scan gets
 * `shutdownGraceSeconds` to finish and is then aborted, in-flight requests
 * complete, and the server closes. An address that cannot be bound (in use,
 * not on this host, not permitted) or a TLS certificate or key that is
 * rejected is a `ConfigError`, thrown before any scan starts. Connections
 * are capped and idle ones closed (`ConnectionGuard`), and a connection
 * error (descriptors exhausted included) is logged, never fatal.
 */
export async function runServe(opts: ServeOptions): Promise<number> {
  const log = opts.log ?? silentLogger;
  const startedAt = Date.now();
  const self = new SelfMetrics(startedAt);
  if (opts.labels) self.setLabels(opts.labels());
  const detail = opts.detail;
  const refresher = new Refresher({
    scan: opts.scan,
    apiTotals: opts.apiTotals,
    discovery: opts.discovery,
    detail: typeof detail === "function" ? detail : () => detail,
    labels: opts.labels,
    self,
    log,
  });
  // Bound once the server listens; the status page reads the schedule through it.
  let triggers: ScanTriggers | null = null;
  const reload = opts.reload && reloader(opts.reload, self, () => triggers, log);
  const status = opts.status;
  const handler = createHandler({
    refresher,
    self,
    metricsPath: opts.metricsPath,
    auth: opts.web.users.size > 0 ? new BasicAuth(opts.web.users) : null,
    reload: reload && opts.lifecycle
      ? async (): Promise<ReloadResult> => {
        const r = await reload();
        if (r.ok) triggers?.rescan("reload");
        return r.ok ? { ok: true } : r;
      }
      : undefined,
    status: {
      get config() {
        return status.config;
      },
      get source() {
        return status.source;
      },
      livenessIntervals: status.livenessIntervals,
      maxScanSeconds: status.maxScanSeconds,
      get schedule() {
        return triggers?.schedule ?? opts.schedule;
      },
      startedAt,
      metricsPath: opts.metricsPath,
      labels: opts.labels,
      web: {
        tls: opts.web.tls !== null,
        basicAuth: opts.web.users.size > 0,
        clientAuth: opts.web.tls?.clientAuth,
        minVersion: opts.web.tls?.minVersion,
      },
    },
  });

  const server = bindServer(opts, handler, log);
  const scheme = opts.web.tls ? "https" : "http";
  log.info("listening", {
    url: `${scheme}://${hostPort(server.addr.hostname, server.addr.port)}/`,
    port: server.addr.port,
    schedule: opts.schedule.description,
  });
  opts.onListen?.(server.addr);
  const scans = new ScanTriggers(refresher, opts.schedule, startedAt, log);
  triggers = scans;
  void refresher.refresh("startup");

  const stopped = Promise.withResolvers<string>();
  const listeners: [Deno.Signal, () => void][] = [];
  if (opts.stop) {
    if (opts.stop.aborted) stopped.resolve("stop");
    else opts.stop.addEventListener("abort", () => stopped.resolve("stop"), { once: true });
  } else {
    const signals = serveSignals(Deno.build.os);
    for (const sig of signals.stop) listeners.push([sig, () => stopped.resolve(sig)]);
    // SIGHUP always scans: with the new config when it loaded, else with the old one.
    const hup = async () => {
      if (reload) await reload();
      scans.rescan("signal");
    };
    if (signals.rescan) listeners.push([signals.rescan, () => void hup()]);
    for (const [sig, fn] of listeners) Deno.addSignalListener(sig, fn);
  }

  const reason = await stopped.promise;
  log.info("shutting down", { signal: reason });
  scans.stop();
  for (const [sig, fn] of listeners) Deno.removeSignalListener(sig, fn);
  if (refresher.runningSince !== null) {
    const grace = opts.shutdownGraceSeconds;
    log.info("waiting for the running scan to finish", { grace_seconds: grace });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), grace * 1000);
    });
    const late = await Promise.race([refresher.idle().then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      log.warn("aborting the running scan: the shutdown grace period is over", {
        grace_seconds: grace,
      });
      refresher.abort(new Error(`shutdown: not finished within ${grace}s`));
      await refresher.idle();
    }
  }
  await server.shutdown();
  log.info("stopped");
  return 0;
}

/**
 * `reload`, recorded: the reload gauges, one log line, and on success the
 * new schedule.
 */
function reloader(
  reload: () => Promise<ReloadOutcome>,
  self: SelfMetrics,
  triggers: () => ScanTriggers | null,
  log: Logger,
): () => Promise<ReloadOutcome> {
  return async () => {
    const r = await reload();
    self.reloaded(r.ok, Date.now());
    if (!r.ok) {
      log.error("config reload failed; keeping the previous config", { error: r.error });
      return r;
    }
    log.info("config reloaded; it applies from the next scan");
    triggers()?.setSchedule(r.schedule);
    return r;
  };
}
