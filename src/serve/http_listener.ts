import { type ByteConn, ClientTls } from "./client_tls.ts";
import { ConnectionGuard, type ConnectionLimits } from "./connection_guard.ts";
import {
  HeadReader,
  parseHead,
  refusal,
  type RequestHead,
  responseHead,
  TOO_LARGE,
} from "./http1.ts";
import { needsNodeTls, type WebTls } from "./tls_settings.ts";

export type { ConnectionLimits };

/** What `listenHttp` serves, and where. */
export interface ListenOptions {
  readonly hostname: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** PEM certificate chain and key, and the client policy; null for plain HTTP. */
  readonly tls: Pick<WebTls, "cert" | "key" | "clientAuth" | "clientCa" | "minVersion"> | null;
  readonly handler: (req: Request) => Promise<Response>;
  /** A handler that threw: the request gets a 500, and this hears why. */
  readonly onError: (error: unknown) => void;
  /** An accept that failed (descriptors exhausted, ...): reported, never fatal. */
  readonly onAcceptError: (error: unknown) => void;
  readonly limits?: Partial<ConnectionLimits>;
}

/** A listening server. */
export interface HttpListener {
  readonly addr: Deno.NetAddr;
  /** Open connections right now. */
  readonly connections: number;
  /** Stops accepting, lets requests in flight finish, then closes every connection. */
  shutdown(): Promise<void>;
}

const encoder = new TextEncoder();
/** The longest wait between two failed accepts. */
const MAX_BACKOFF_MS = 1000;

/**
 * Serves a `Request -> Response` handler over HTTP/1.1 (TLS when given) from
 * an accept loop of its own. `Deno.serve` hides its connections, and died
 * when an accept failed (idle connections past `ulimit -n`: "Too many open
 * files"); node:http in Deno 2.9 stops accepting for good instead. Here a
 * failed accept is reported and retried with a backoff, the connections are
 * capped and idle or stalled ones closed (`ConnectionGuard`). TLS with
 * client certificates or a TLS 1.3 minimum is done by node:tls over the
 * accepted connections (`ClientTls`); other TLS by `Deno.listenTls`. Throws
 * the bind error of `Deno.listen` (`AddrInUse`, ...) or `Deno.listenTls`, or
 * the certificate error of either TLS.
 */
export function listenHttp(opts: ListenOptions): HttpListener {
  const secure = opts.tls && needsNodeTls(opts.tls) ? new ClientTls(opts.tls) : null;
  const listener = opts.tls && secure === null
    ? Deno.listenTls({
      hostname: opts.hostname,
      port: opts.port,
      cert: opts.tls.cert,
      key: opts.tls.key,
      alpnProtocols: ["http/1.1"],
    })
    : Deno.listen({ hostname: opts.hostname, port: opts.port });
  const guard = new ConnectionGuard<Deno.Conn>(opts.limits);
  const serving = new Set<Promise<void>>();
  let closed = false;
  const wake = new AbortController();
  const accepting = (async () => {
    for (let backoff = 10; !closed;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (closed) break;
        opts.onAcceptError(e);
        await sleep(backoff, wake.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      backoff = 10;
      // No Nagle delay between a response's writes (40 ms with delayed ACKs).
      if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
      if (!guard.admit(conn)) {
        conn.close();
        continue;
      }
      const done = serveConnection(conn, guard, opts, secure).finally(() => serving.delete(done));
      serving.add(done);
    }
  })();
  let closing: Promise<void> | null = null;
  return {
    addr: listener.addr as Deno.NetAddr,
    get connections() {
      return guard.open;
    },
    shutdown() {
      closing ??= (async () => {
        closed = true;
        wake.abort();
        listener.close();
        await accepting;
        guard.drain();
        while (serving.size > 0) await Promise.allSettled([...serving]);
      })();
      return closing;
    },
  };
}

/**
 * Answers requests on one connection until it closes, errs, or is not kept
 * alive; over `secure`'s TLS when given (the handshake counts as idle time).
 */
async function serveConnection(
  conn: Deno.Conn,
  guard: ConnectionGuard<Deno.Conn>,
  opts: ListenOptions,
  secure: ClientTls | null,
): Promise<void> {
  let io: ByteConn = conn;
  try {
    if (secure !== null) io = await secure.accept(conn);
    const input = new HeadReader(io);
    for (;;) {
      const text = await input.next();
      if (text === null) return;
      guard.busy(conn);
      const head = text === TOO_LARGE ? { status: 431 as const } : parseHead(text);
      const keepAlive = "method" in head && head.keepAlive && !head.hasBody && !guard.draining;
      const res = "method" in head ? await answer(head, opts) : refusal(head.status);
      const isHead = "method" in head && head.method === "HEAD";
      await write(io, res, isHead, keepAlive, guard.limits.stallTimeoutMs);
      if (!keepAlive) return;
      guard.idle(conn);
    }
  } catch {
    // The client went away, a TLS handshake failed or refused it, or the guard closed it.
  } finally {
    guard.release(conn);
    for (const c of new Set([io, conn])) {
      try {
        c.close();
      } catch {
        // Closed by the guard.
      }
    }
  }
}

async function answer(head: RequestHead, opts: ListenOptions): Promise<Response> {
  let req: Request;
  try {
    req = new Request(new URL(head.target, "http://localhost"), {
      method: head.method,
      headers: head.headers,
    });
  } catch {
    return refusal(400); // a target that is no URL, or a method fetch refuses (CONNECT)
  }
  try {
    return await opts.handler(req);
  } catch (e) {
    opts.onError(e);
    return new Response("Internal Server Error\n", { status: 500 });
  }
}

/**
 * Writes the response; the body is streamed when the handler gave its
 * length, else read first to measure it. A write that does not complete
 * within `stallMs` closes the connection.
 */
async function write(
  conn: ByteConn,
  res: Response,
  isHead: boolean,
  keepAlive: boolean,
  stallMs: number,
): Promise<void> {
  const given = res.headers.get("content-length");
  let body: ReadableStream<Uint8Array> | Uint8Array | null = res.body;
  let length = given !== null && /^\d+$/.test(given) ? Number(given) : null;
  if (length === null) {
    body = new Uint8Array(await res.arrayBuffer());
    length = body.length;
  }
  const head = encoder.encode(responseHead(res, length, keepAlive));
  if (isHead || body === null) {
    await res.body?.cancel().catch(() => {});
    return await writeAll(conn, head, stallMs);
  }
  // The head goes out with the first bytes of the body, in one write.
  let pending: Uint8Array | null = head;
  const chunks = body instanceof Uint8Array ? [body] : body;
  for await (const chunk of chunks) {
    await writeAll(conn, pending === null ? chunk : concat(pending, chunk), stallMs);
    pending = null;
  }
  if (pending !== null) await writeAll(conn, pending, stallMs);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: ByteConn, bytes: Uint8Array, stallMs: number): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    const timer = setTimeout(() => conn.close(), stallMs);
    try {
      off += await conn.write(bytes.subarray(off));
    } finally {
      clearTimeout(timer);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
