import type { DetailMetricsConfig } from "../config/model.ts";
import { ConfigError } from "../errors.ts";
import { type Logger, silentLogger } from "../log.ts";
import type { DiscoveryReport } from "../discovery_report.ts";
import type { ApiCounts } from "../model.ts";
import { hostPort } from "./address.ts";
import { BasicAuth } from "./basic_auth.ts";
import { createHandler } from "./handler.ts";
import { type ConnectionLimits, type HttpListener, listenHttp } from "./http_listener.ts";
import { Refresher, type ScanFunction } from "./refresher.ts";
import type { Schedule } from "./schedule.ts";
import { SelfMetrics } from "./self_metrics.ts";
import { serveSignals } from "./signals.ts";
import type { StatusContext } from "./status.ts";
import type { WebConfig } from "./web_config.ts";

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
  readonly detail: DetailMetricsConfig;
  readonly status: Omit<StatusContext, "schedule" | "startedAt" | "web">;
  readonly web: WebConfig;
  /** Seconds an in-progress scan may take to finish at shutdown before it is aborted. */
  readonly shutdownGraceSeconds: number;
  readonly log?: Logger;
  /**
   * Stops the server like SIGTERM. When given, no signal listeners are
   * installed (in-process tests); otherwise the signals of `serveSignals`
   * (SIGTERM and SIGINT stop it and SIGHUP starts a scan now; on Windows
   * SIGINT and SIGBREAK stop it).
   */
  readonly stop?: AbortSignal;
  readonly onListen?: (addr: Deno.NetAddr) => void;
  /** Connection cap and timeouts; the defaults are `DEFAULT_LIMITS` (tests lower them). */
  readonly limits?: Partial<ConnectionLimits>;
}

let cronJobs = 0;

/**
 * Runs `serve` until SIGTERM or SIGINT (or `stop`) and resolves with exit
 * code 0 after a graceful shutdown: scheduling stops, a running scan gets
 * `shutdownGraceSeconds` to finish and is then aborted, in-flight requests
 * complete, and the server closes. An address that cannot be bound (in use,
 * not on this host, not permitted) or a TLS certificate or key that Deno
 * rejects is a `ConfigError`, thrown before any scan starts. Connections are
 * capped and idle ones closed (`ConnectionGuard`), and a connection error
 * (descriptors exhausted included) is logged, never fatal.
 */
export async function runServe(opts: ServeOptions): Promise<number> {
  const log = opts.log ?? silentLogger;
  const startedAt = Date.now();
  const self = new SelfMetrics(startedAt);
  const refresher = new Refresher({
    scan: opts.scan,
    apiTotals: opts.apiTotals,
    discovery: opts.discovery,
    detail: opts.detail,
    self,
    log,
  });
  const handler = createHandler({
    refresher,
    self,
    metricsPath: opts.metricsPath,
    auth: opts.web.users.size > 0 ? new BasicAuth(opts.web.users) : null,
    status: {
      ...opts.status,
      schedule: opts.schedule,
      startedAt,
      metricsPath: opts.metricsPath,
      web: {
        tls: opts.web.tls !== null,
        basicAuth: opts.web.users.size > 0,
        clientAuth: opts.web.tls?.clientAuth,
        minVersion: opts.web.tls?.minVersion,
      },
    },
  });

  const server = listen(opts, handler, log);
  const scheme = opts.web.tls ? "https" : "http";
  log.info("listening", {
    url: `${scheme}://${hostPort(server.addr.hostname, server.addr.port)}/`,
    port: server.addr.port,
    schedule: opts.schedule.description,
  });
  opts.onListen?.(server.addr);

  // Deno.cron cannot be unregistered except through its signal.
  const cron = new AbortController();
  Deno.cron(
    `aws-tag-exporter refresh ${++cronJobs}`,
    opts.schedule.cron,
    { signal: cron.signal },
    () => {
      const last = refresher.last?.startedAt ?? refresher.runningSince ?? startedAt;
      if (Date.now() - last < opts.schedule.minGapSeconds * 1000) return;
      void refresher.refresh("schedule");
    },
  );
  void refresher.refresh("startup");

  const stopped = Promise.withResolvers<string>();
  const listeners: [Deno.Signal, () => void][] = [];
  if (opts.stop) {
    if (opts.stop.aborted) stopped.resolve("stop");
    else opts.stop.addEventListener("abort", () => stopped.resolve("stop"), { once: true });
  } else {
    const signals = serveSignals(Deno.build.os);
    for (const sig of signals.stop) listeners.push([sig, () => stopped.resolve(sig)]);
    if (signals.rescan) listeners.push([signals.rescan, () => void refresher.refresh("signal")]);
    for (const [sig, fn] of listeners) Deno.addSignalListener(sig, fn);
  }

  const reason = await stopped.promise;
  log.info("shutting down", { signal: reason });
  cron.abort();
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
 * `listenHttp`, with its startup errors turned into one-line `ConfigError`s
 * so the CLI exits 2 before any scan: an address it cannot bind names
 * host:port and the cause; a TLS certificate or key Deno rejects (it throws
 * at once, e.g. "No certificates found in certificate data") names the
 * files. A failed accept later (descriptors exhausted) is logged, at most one
 * line per 10 s, and retried.
 */
function listen(
  opts: ServeOptions,
  handler: (req: Request) => Promise<Response>,
  log: Logger,
): HttpListener {
  const { web } = opts;
  let lastLogged = -Infinity;
  let suppressed = 0;
  try {
    return listenHttp({
      hostname: opts.hostname,
      port: opts.port,
      tls: web.tls,
      handler,
      limits: opts.limits,
      onError: (e) => {
        log.error("request failed", { error: e instanceof Error ? e.message : String(e) });
      },
      onAcceptError: (e) => {
        if (performance.now() - lastLogged < 10_000) return void suppressed++;
        log.warn("cannot accept a connection; retrying", {
          error: e instanceof Error ? e.message : String(e),
          suppressed,
        });
        lastLogged = performance.now();
        suppressed = 0;
      },
    });
  } catch (e) {
    const cause = bindFailure(e);
    if (cause !== null) {
      const where = hostPort(opts.hostname, opts.port);
      throw new ConfigError(`cannot listen on ${where}: ${cause}`, { cause: e });
    }
    if (web.tls === null) throw e;
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new ConfigError(
      `the TLS certificate ${JSON.stringify(web.tls.certFile)} or key ` +
        `${JSON.stringify(web.tls.keyFile)} was rejected: ${why} (tls_server_config.cert_file ` +
        "must be a PEM certificate chain and key_file its matching unencrypted PEM private key)",
    );
  }
}

/** Why the address could not be bound, with the fix; null for any other error. */
function bindFailure(e: unknown): string | null {
  if (e instanceof Deno.errors.AddrInUse) return "address already in use (pick another --port)";
  if (e instanceof Deno.errors.AddrNotAvailable) {
    return "address not available on this host (pick another --host, e.g. 0.0.0.0)";
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return "permission denied (ports below 1024 need privileges; pick another --port)";
  }
  if (e instanceof Deno.errors.NotCapable) {
    return "not permitted by Deno's --allow-net (grant this address)";
  }
  return null;
}
