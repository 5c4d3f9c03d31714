/**
 * serve stays up when clients misbehave: idle connections past the
 * descriptor limit, slow or stalled clients. Unauthenticated TCP
 * connections used to exhaust descriptors until an accept error killed the
 * process ("Uncaught (in promise) Http: Error: Too many open files").
 */
import { ok, strictEqual } from "node:assert/strict";
import { type HttpListener, listenHttp } from "../src/serve/http_listener.ts";
import { taskFlags } from "./helpers/run_cli.ts";
import { DEMO_ARGS as DEMO } from "./helpers/demo.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const encoder = new TextEncoder();

/** Resolves with null when the peer closed the connection, or the bytes it sent first. */
async function readOnce(conn: Deno.Conn): Promise<string | null> {
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf).catch(() => null);
  return n === null ? null : new TextDecoder().decode(buf.subarray(0, n));
}

/** Polls `check` every 20 ms for up to 5 s (a hang guard, not a timing assertion). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; !check(); i++) {
    ok(i < 250, `never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function withListener(
  limits: Parameters<typeof listenHttp>[0]["limits"],
  handler: (req: Request) => Promise<Response>,
  fn: (l: HttpListener) => Promise<void>,
): Promise<void> {
  const listener = listenHttp({
    hostname: "127.0.0.1",
    port: 0,
    tls: null,
    handler,
    limits,
    onError: () => {},
    onAcceptError: () => {},
  });
  try {
    await fn(listener);
  } finally {
    await listener.shutdown();
  }
}

const ok200 = () => Promise.resolve(new Response("ok\n"));
const connect = (l: HttpListener) => Deno.connect({ hostname: "127.0.0.1", port: l.addr.port });

Deno.test("at the cap, a new connection evicts the one idle the longest", async () => {
  await withListener({ maxConnections: 4 }, ok200, async (l) => {
    const idle = [];
    for (let i = 0; i < 4; i++) idle.push(await connect(l));
    try {
      await eventually(() => l.connections === 4, "4 connections admitted");
      const res = await fetch(`http://127.0.0.1:${l.addr.port}/health`);
      strictEqual(await res.text(), "ok\n");
      strictEqual(await readOnce(idle[0]), null, "the oldest idle connection was closed");
      ok(l.connections <= 4, `${l.connections} open`);
    } finally {
      for (const c of idle) c.close();
    }
  });
});

Deno.test("at the cap with every connection busy, a new one is closed at once", async () => {
  const gate = Promise.withResolvers<void>();
  let waiting = 0;
  const handler = async () => {
    waiting++;
    await gate.promise;
    return new Response("late\n");
  };
  await withListener({ maxConnections: 2 }, handler, async (l) => {
    const busy = [await connect(l), await connect(l)];
    const extra: Deno.Conn[] = [];
    try {
      for (const c of busy) await c.write(encoder.encode("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
      await eventually(() => waiting === 2, "2 requests in the handler");
      extra.push(await connect(l));
      strictEqual(await readOnce(extra[0]), null, "over the cap, nothing idle to evict");
      gate.resolve();
      for (const c of busy) ok((await readOnce(c))?.startsWith("HTTP/1.1 200"));
    } finally {
      for (const c of [...busy, ...extra]) c.close();
    }
  });
});

Deno.test("an idle connection and one trickling its headers are closed after the idle timeout", async () => {
  await withListener({ idleTimeoutMs: 300 }, ok200, async (l) => {
    const idle = await connect(l);
    const slow = await connect(l);
    let trickling = true;
    const trickle = (async () => {
      await slow.write(encoder.encode("GET / HTTP/1.1\r\n")).catch(() => {});
      for (let i = 0; trickling && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        await slow.write(encoder.encode(`X-${i}: a\r\n`)).catch(() => (trickling = false));
      }
    })();
    try {
      strictEqual(await readOnce(idle), null);
      await eventually(() => l.connections === 0, "both connections closed");
      trickling = false;
      await trickle;
    } finally {
      idle.close();
      slow.close();
    }
  });
});

Deno.test("a client that stops reading a response is cut off after the stall timeout", async () => {
  const big = new Uint8Array(64 << 20);
  const handler = () => Promise.resolve(new Response(big));
  await withListener({ stallTimeoutMs: 300 }, handler, async (l) => {
    const reader = await connect(l);
    try {
      await reader.write(encoder.encode("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
      await eventually(() => l.connections === 1, "the request arrived");
      // Never read: the server's writes stall once the socket buffers are full.
      await eventually(() => l.connections === 0, "the stalled connection was closed");
    } finally {
      reader.close();
    }
  });
});

/** `serve` on the demo inventory in a shell with `ulimit -n 256`, logging JSON to a buffer. */
async function serveUnderUlimit(extra: string[]) {
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      'ulimit -n 256 && exec "$@"',
      "bash",
      Deno.execPath(),
      "run",
      "--frozen",
      "--cached-only",
      ...await taskFlags("serve"),
      "main.ts",
      "serve",
      ...DEMO,
      ...["--host", "127.0.0.1", "--port", "0", "--log-format", "json", ...extra],
    ],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const run = { log: "", exited: false, port: 0 };
  const status = child.status.then((s) => (run.exited = true, s));
  const waitFor = async (msg: string) => {
    while (!run.log.includes(`"msg":"${msg}`)) {
      const { value, done } = await lines.read();
      ok(!done, `serve exited before "${msg}": ${run.log}`);
      run.log += value;
    }
    return run.log.split("\n").filter((l) => l.includes(`"msg":"${msg}`)).map((l) =>
      JSON.parse(l)
    )[0];
  };
  const stop = async () => {
    if (!run.exited) child.kill("SIGTERM");
    const s = await status;
    await lines.cancel().catch(() => {});
    return s.code;
  };
  try {
    run.port = (await waitFor("listening")).port;
    await waitFor("scan finished");
  } catch (e) {
    await stop();
    throw e;
  }
  return { run, stop };
}

/** Opens `n` idle TCP connections to `port`. */
async function idleConnections(port: number, n: number): Promise<Deno.Conn[]> {
  const conns: Deno.Conn[] = [];
  for (let i = 0; i < n; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  return conns;
}

async function health(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, {
    signal: AbortSignal.timeout(10_000),
  });
  strictEqual(res.status, 200);
  return (await res.json()).status;
}

Deno.test({
  name:
    "serve under ulimit -n 256 with --max-connections 100 answers /health past 400 idle connections",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const { run, stop } = await serveUnderUlimit(["--max-connections", "100"]);
  const conns: Deno.Conn[] = [];
  try {
    conns.push(...await idleConnections(run.port, 400));
    strictEqual(await health(run.port), "ok");
    ok(!run.exited, run.log);
  } finally {
    for (const c of conns) c.close();
    strictEqual(await stop(), 0, run.log);
  }
});

Deno.test({
  name: "serve survives running out of descriptors (an accept error is never fatal) and recovers",
  ignore: Deno.build.os !== "linux",
}, async () => {
  // The default cap (256) is above what ulimit -n 256 leaves: accepts fail with EMFILE.
  const { run, stop } = await serveUnderUlimit([]);
  const conns: Deno.Conn[] = [];
  try {
    conns.push(...await idleConnections(run.port, 400));
    await new Promise((r) => setTimeout(r, 500));
    ok(!run.exited, `serve died: ${run.log}`);
    for (const c of conns.splice(0)) c.close();
    strictEqual(await health(run.port), "ok");
    ok(!run.exited, run.log);
  } finally {
    for (const c of conns) c.close();
    strictEqual(await stop(), 0, run.log);
  }
});
