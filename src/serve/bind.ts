import { ConfigError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { hostPort } from "./address.ts";
import { type ConnectionLimits, type HttpListener, listenHttp } from "./http_listener.ts";
import type { WebConfig } from "./web_config.ts";

/** Where and how `bindServer` listens. */
export interface BindOptions {
  readonly hostname: string;
  readonly port: number;
  readonly web: WebConfig;
  readonly limits?: Partial<ConnectionLimits>;
}

/**
 * `listenHttp`, with its startup errors turned into one-line `ConfigError`s
 * so the CLI exits 2 before any scan: an address it cannot bind names
 * host:port and the cause; a TLS certificate or key that is rejected (Deno
 * throws at once, e.g. "No certificates found in certificate data"; a key
 * that does not match its certificate) names the files. A failed accept
 * later (descriptors exhausted) is logged, at most one line per 10 s, and
 * retried.
 */
export function bindServer(
  opts: BindOptions,
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
