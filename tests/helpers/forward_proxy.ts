/**
 * Loopback helpers that see the exporter's TCP traffic: a relay that counts
 * the connections made through it, and a forward HTTP proxy that counts
 * CONNECT tunnels and absolute-form requests (`POST http://host/ HTTP/1.1`,
 * what a client sends a proxy for a plain-http URL), forwarding both to
 * their targets. Bounded to loopback; `close` ends every connection.
 */

/** Counts of what went through. */
export interface ProxyStats {
  connections: number;
  /** CONNECT requests, by `host:port`. */
  connects: string[];
  /** Absolute-form request lines (`POST http://127.0.0.1:123/ HTTP/1.1`). */
  absolute: string[];
}

/** A running relay or proxy. */
export interface LoopbackProxy {
  readonly url: string;
  readonly port: number;
  readonly stats: ProxyStats;
  close(): Promise<void>;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A relay on 127.0.0.1 to `target` (`host:port`): every connection is piped both ways. */
export function startRelay(target: string): LoopbackProxy {
  return listen((conn, stats) => {
    stats.connections++;
    return tunnel(conn, target, new Uint8Array());
  });
}

/** A forward proxy on 127.0.0.1: CONNECT tunnels and absolute-form requests, counted. */
export function startForwardProxy(): LoopbackProxy {
  return listen(async (conn, stats) => {
    stats.connections++;
    const { head, rest } = await readHead(conn);
    const line = head.split("\r\n")[0];
    const connect = /^CONNECT (\S+) HTTP\/1\.[01]$/.exec(line);
    if (connect) {
      stats.connects.push(connect[1]);
      await conn.write(encoder.encode("HTTP/1.1 200 Connection established\r\n\r\n"));
      return tunnel(conn, connect[1], rest);
    }
    const absolute = /^[A-Z]+ http:\/\/([^/\s]+)\S* HTTP\/1\.[01]$/.exec(line);
    if (!absolute) {
      await conn.write(encoder.encode("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"));
      return;
    }
    // Later requests on the connection go the same way; each is counted as it passes.
    stats.absolute.push(line);
    const first = encoder.encode(head + "\r\n\r\n");
    const buffered = new Uint8Array(first.length + rest.length);
    buffered.set(first);
    buffered.set(rest, first.length);
    return tunnel(conn, absolute[1], buffered, (text) => {
      // A request line follows the previous request's body, which ends without CRLF.
      for (const m of text.matchAll(/([A-Z]+ http:\/\/\S+ HTTP\/1\.[01])\r\n/g)) {
        stats.absolute.push(m[1]);
      }
    }, head.length);
  });
}

function listen(
  serve: (conn: Deno.Conn, stats: ProxyStats) => Promise<void>,
): LoopbackProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stats: ProxyStats = { connections: 0, connects: [], absolute: [] };
  const open = new Set<Deno.Conn>();
  const tasks = new Set<Promise<void>>();
  const accepting = (async () => {
    for await (const conn of listener) {
      open.add(conn);
      const task = serve(conn, stats).catch(() => {}).finally(() => {
        open.delete(conn);
        tryClose(conn);
        tasks.delete(task);
      });
      tasks.add(task);
    }
  })().catch(() => {});
  const port = (listener.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    async close() {
      listener.close();
      for (const conn of open) tryClose(conn);
      await accepting;
      await Promise.all([...tasks]);
    },
  };
}

/** Reads up to the end of a request head; returns it (without `\r\n\r\n`) and what followed. */
async function readHead(conn: Deno.Conn): Promise<{ head: string; rest: Uint8Array }> {
  let buf = new Uint8Array();
  const chunk = new Uint8Array(16 * 1024);
  for (;;) {
    const n = await conn.read(chunk);
    if (n === null) throw new Error("closed before a request head");
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
    const text = decoder.decode(buf);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      const headBytes = encoder.encode(text.slice(0, end + 4)).length;
      return { head: text.slice(0, end), rest: buf.subarray(headBytes) };
    }
  }
}

/**
 * Pipes `conn` and a new connection to `target` both ways, after sending
 * `first` upstream; `watch` sees the client's bytes after the first `skip`.
 */
async function tunnel(
  conn: Deno.Conn,
  target: string,
  first: Uint8Array,
  watch?: (text: string) => void,
  skip = 0,
): Promise<void> {
  const [hostname, port] = [
    target.slice(0, target.lastIndexOf(":")),
    target.slice(target.lastIndexOf(":") + 1),
  ];
  const upstream = await Deno.connect({ hostname, port: Number(port) });
  try {
    if (first.length > 0) await upstream.write(first);
    let seen = decoder.decode(first).slice(skip);
    const up = (async () => {
      const chunk = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await conn.read(chunk).catch(() => null);
        if (n === null) break;
        if (watch) {
          seen = (seen + decoder.decode(chunk.subarray(0, n))).slice(-64 * 1024);
          watch(seen);
          seen = seen.slice(seen.lastIndexOf("\r\n"));
        }
        await writeAll(upstream, chunk.subarray(0, n));
      }
      tryCloseWrite(upstream);
    })();
    const down = (async () => {
      const chunk = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await upstream.read(chunk).catch(() => null);
        if (n === null) break;
        await writeAll(conn, chunk.subarray(0, n)).catch(() => {});
      }
      tryClose(conn);
    })();
    await Promise.all([up, down]);
  } finally {
    tryClose(upstream);
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
}

function tryClose(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

function tryCloseWrite(conn: Deno.Conn): void {
  try {
    conn.closeWrite();
  } catch { /* already closed */ }
}

/**
 * A relay to `target` (`host:port`) whose first `cuts` connections end in
 * the middle of an answer: the response head and a few bytes of its body
 * pass, then the connection closes, as when a peer or a middlebox drops it.
 * Later connections are piped whole.
 */
export function startCuttingRelay(target: string, cuts: number): LoopbackProxy {
  let left = cuts;
  return listen(async (conn, stats) => {
    stats.connections++;
    if (left-- <= 0) return tunnel(conn, target, new Uint8Array());
    const colon = target.lastIndexOf(":");
    const upstream = await Deno.connect({
      hostname: target.slice(0, colon),
      port: Number(target.slice(colon + 1)),
    });
    try {
      const up = (async () => {
        const chunk = new Uint8Array(64 * 1024);
        for (;;) {
          const n = await conn.read(chunk).catch(() => null);
          if (n === null) break;
          await writeAll(upstream, chunk.subarray(0, n)).catch(() => {});
        }
      })();
      let got = "";
      const chunk = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await upstream.read(chunk).catch(() => null);
        if (n === null) break;
        got += decoder.decode(chunk.subarray(0, n));
        const end = got.indexOf("\r\n\r\n");
        if (end >= 0 && got.length >= end + 12) {
          await writeAll(conn, encoder.encode(got.slice(0, end + 12))).catch(() => {});
          break;
        }
      }
      tryClose(conn);
      await up;
    } finally {
      tryClose(upstream);
    }
  });
}
