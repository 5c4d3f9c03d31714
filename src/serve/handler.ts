import { CONTENT_TYPE } from "../metrics/exposition.ts";
import { type BasicAuth, overloaded, unauthorized } from "./basic_auth.ts";
import { type Body, metricsBody } from "./metrics_snapshot.ts";
import { acceptsGzip, prefersHtml, wantsOpenMetrics } from "./negotiate.ts";
import type { Refresher } from "./refresher.ts";
import type { SelfMetrics } from "./self_metrics.ts";
import { healthOf } from "./health.ts";
import { livenessOf, type StatusContext, statusDocument } from "./status.ts";
import { statusHtml } from "./status_html.ts";

/** What a config reload came to; `error` is the one line that says why it failed. */
export type ReloadResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface HandlerDeps {
  readonly refresher: Refresher;
  readonly self: SelfMetrics;
  readonly status: StatusContext;
  /** Null when no `basic_auth_users` are configured. */
  readonly auth: BasicAuth | null;
  readonly now?: () => number;
  /** The metrics endpoint (`--web.telemetry-path`); default `/metrics`. */
  readonly metricsPath?: string;
  /** Given with `--web.enable-lifecycle`: `POST /-/reload` runs it. */
  readonly reload?: () => Promise<ReloadResult>;
}

/** Paths of the endpoints other than metrics, which `--web.telemetry-path` may not take. */
export const RESERVED_PATHS: readonly string[] = ["/", "/health", "/ready", "/livez", "/-/reload"];

type Route = (req: Request) => Promise<Response> | Response;
const READ = ["GET", "HEAD"];
const JSON_TYPE = "application/json; charset=utf-8";
const encoder = new TextEncoder();

/**
 * The serve HTTP handler, `Request -> Response`, with no socket, so tests
 * call it directly. With basic auth configured every path is protected, as
 * in exporter-toolkit: an unauthenticated request gets 401 before routing
 * (503 with Retry-After when too many credentials wait for bcrypt).
 * Routes answer GET and HEAD, `/-/reload` (with `reload`) POST only; other
 * methods get 405 with `Allow`.
 */
export function createHandler(deps: HandlerDeps): (req: Request) => Promise<Response> {
  const now = deps.now ?? Date.now;
  const metricsPath = deps.metricsPath ?? "/metrics";
  const routes: Record<string, Route> = {
    [metricsPath]: (req) => metrics(req, deps),
    "/health": () => {
      const h = healthOf(deps.refresher);
      return json(h.status === "error" ? 503 : 200, h);
    },
    "/ready": () => {
      const ready = deps.refresher.snapshot !== null;
      return json(ready ? 200 : 503, {
        status: ready ? "ready" : "waiting for the first scan to complete",
      });
    },
    "/livez": () => {
      const l = livenessOf(deps.refresher, deps.status, now());
      return json(l.ok ? 200 : 503, { status: l.ok ? "ok" : "stale", ...l });
    },
    "/": (req) => {
      const doc = statusDocument(deps.refresher, deps.status, now());
      if (prefersHtml(req.headers.get("accept"))) {
        return bytes(200, "text/html; charset=utf-8", encoder.encode(statusHtml(doc)));
      }
      return json(200, doc);
    },
  };
  const methods: Record<string, readonly string[]> = {};
  const reload = deps.reload;
  if (reload !== undefined) {
    routes["/-/reload"] = async () => {
      const r = await reload();
      return r.ok ? text(200, "config reloaded\n") : text(500, `config not reloaded: ${r.error}\n`);
    };
    methods["/-/reload"] = ["POST"];
  }
  const paths = Object.keys(routes).filter((p) => p !== "/").join(" ");
  const dispatch = async (req: Request): Promise<Response> => {
    const verdict = deps.auth === null ? "ok" : await deps.auth.verify(req);
    if (verdict === "denied") return unauthorized();
    if (verdict === "busy") return overloaded();
    const path = new URL(req.url).pathname;
    const route = routes[path];
    if (route === undefined) return text(404, `Not found. Endpoints: ${paths} /\n`);
    const allowed = methods[path] ?? READ;
    if (!allowed.includes(req.method)) {
      const res = text(405, `Method ${req.method} not allowed; use ${allowed.join(" or ")}\n`);
      res.headers.set("allow", allowed.join(", "));
      return res;
    }
    return await route(req);
  };
  return async (req) => {
    const res = await dispatch(req);
    return req.method === "HEAD" ? withoutBody(res) : res;
  };
}

async function metrics(req: Request, deps: HandlerDeps): Promise<Response> {
  const format = wantsOpenMetrics(req.headers.get("accept")) ? "openmetrics" : "prometheus";
  const gzip = acceptsGzip(req.headers.get("accept-encoding"));
  const snapshot = deps.refresher.snapshot;
  const live = await deps.self.render(format, { buildInfo: snapshot === null });
  const body = metricsBody(snapshot, format, live, gzip);
  const headers = new Headers({
    "content-type": CONTENT_TYPE[format],
    "content-length": String(body.length),
    "vary": "Accept, Accept-Encoding",
    "cache-control": "no-store",
  });
  if (gzip) headers.set("content-encoding", "gzip");
  return new Response(req.method === "HEAD" ? null : streamOf(body), { headers });
}

/** Streams the cached parts without copying them. */
function streamOf(body: Body): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < body.parts.length) controller.enqueue(body.parts[i++]);
      else controller.close();
    },
  });
}

function json(status: number, value: unknown): Response {
  return bytes(status, JSON_TYPE, encoder.encode(JSON.stringify(value, null, 2) + "\n"));
}

function text(status: number, message: string): Response {
  return bytes(status, "text/plain; charset=utf-8", encoder.encode(message));
}

function bytes(status: number, type: string, body: Uint8Array<ArrayBuffer>): Response {
  return new Response(body, {
    status,
    headers: {
      "content-type": type,
      "content-length": String(body.length),
      "cache-control": "no-store",
    },
  });
}

/** A HEAD answer: GET's status and headers (Content-Length included), no body. */
function withoutBody(res: Response): Response {
  if (res.body === null) return res;
  res.body.cancel();
  return new Response(null, { status: res.status, headers: res.headers });
}
