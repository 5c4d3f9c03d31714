/**
 * serve's HTTP/1.1 on the wire: keep-alive, HTTP/1.0, HEAD, pipelining, and
 * the requests it refuses, sent as raw bytes to a real listener.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parseHead } from "../src/serve/http1.ts";
import { type HttpListener, listenHttp } from "../src/serve/http_listener.ts";

const encoder = new TextEncoder();

/** Echoes the method, path and a header back, with a Content-Length (or none for /nolength). */
function handler(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const body = `${req.method} ${url.pathname}${url.search} ua=${req.headers.get("user-agent")}\n`;
  if (url.pathname === "/nolength") return Promise.resolve(new Response(body));
  if (url.pathname === "/throw") return Promise.reject(new Error("boom"));
  return Promise.resolve(
    new Response(body, { headers: { "content-length": String(body.length), "x-a": "1" } }),
  );
}

async function withServer(fn: (l: HttpListener, errors: unknown[]) => Promise<void>) {
  const errors: unknown[] = [];
  const l = listenHttp({
    hostname: "127.0.0.1",
    port: 0,
    tls: null,
    handler,
    onError: (e) => errors.push(e),
    onAcceptError: () => {},
  });
  try {
    await fn(l, errors);
  } finally {
    await l.shutdown();
  }
}

/** Sends `raw`, then reads until the server closes or `expect` responses have arrived. */
async function exchange(l: HttpListener, raw: string, expect = 99): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: l.addr.port });
  try {
    await conn.write(encoder.encode(raw));
    let text = "";
    const buf = new Uint8Array(65536);
    while ((text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length < expect || !complete(text)) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

/** True when the last response's body has all its Content-Length bytes. */
function complete(text: string): boolean {
  const at = text.lastIndexOf("HTTP/1.1 ");
  const end = text.indexOf("\r\n\r\n", at);
  if (end < 0) return false;
  const length = Number(/content-length: (\d+)/.exec(text.slice(at, end))?.[1] ?? 0);
  return text.length - (end + 4) >= length;
}

Deno.test("parseHead() reads a request line and headers, and says when it is not one", () => {
  const head = parseHead("GET /metrics?a=1 HTTP/1.1\r\nHost: x\r\nAccept:  text/plain ");
  ok("method" in head);
  strictEqual(head.target, "/metrics?a=1");
  strictEqual(head.headers.get("accept"), "text/plain");
  deepStrictEqual([head.keepAlive, head.hasBody], [true, false]);
  const old = parseHead("GET / HTTP/1.0\r\nConnection: keep-alive");
  ok("method" in old && old.keepAlive);
  const closing = parseHead("GET / HTTP/1.1\r\nConnection: close");
  ok("method" in closing && !closing.keepAlive);
  const body = parseHead("POST / HTTP/1.1\r\nContent-Length: 3");
  ok("method" in body && body.hasBody);
  for (
    const [text, status] of [
      ["GET /", 400],
      ["GET / HTTP/2.0", 505],
      ["GET / HTTP/1.1\r\n folded: header", 400],
      ["GET / HTTP/1.1\r\nno colon", 400],
      ["GET / HTTP/1.1\r\nContent-Length: -1", 400],
      ["G(T / HTTP/1.1", 400],
    ] as const
  ) {
    deepStrictEqual(parseHead(text), { status }, text);
  }
});

Deno.test("keep-alive serves pipelined requests in order on one connection", async () => {
  await withServer(async (l) => {
    const text = await exchange(
      l,
      "GET /a HTTP/1.1\r\nUser-Agent: one\r\n\r\n\r\nGET /b?x HTTP/1.1\r\nUser-Agent: two\r\n\r\n",
      2,
    );
    const bodies = text.split("\r\n\r\n").slice(1).map((b) => b.split("HTTP/1.1")[0]);
    deepStrictEqual(bodies, ["GET /a ua=one\n", "GET /b?x ua=two\n"]);
    ok(/^date: /m.test(text) && !/connection: close/.test(text), text);
  });
});

Deno.test("HTTP/1.0 and Connection: close end the connection after one response", async () => {
  await withServer(async (l) => {
    for (const raw of ["GET /a HTTP/1.0\r\n\r\n", "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n"]) {
      const text = await exchange(l, raw + "GET /never HTTP/1.1\r\n\r\n");
      strictEqual((text.match(/HTTP\/1\.1 200/g) ?? []).length, 1, text);
      ok(text.includes("connection: close"), text);
    }
  });
});

Deno.test("HEAD gets GET's headers and no body; a body-less length is measured", async () => {
  await withServer(async (l) => {
    const head = await exchange(l, "HEAD /a HTTP/1.1\r\nConnection: close\r\n\r\n");
    ok(head.includes("content-length: 16\r\n") && head.endsWith("\r\n\r\n"), head);
    const measured = await exchange(l, "GET /nolength HTTP/1.1\r\nConnection: close\r\n\r\n");
    ok(measured.includes("content-length: 22\r\n") && measured.endsWith("ua=null\n"), measured);
  });
});

Deno.test("malformed, oversized, body-bearing and failing requests get one answer each", async () => {
  await withServer(async (l, errors) => {
    const cases: [string, string][] = [
      ["BAD\r\n\r\n", "HTTP/1.1 400 Bad Request"],
      ["GET / HTTP/3.0\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"],
      [`GET / HTTP/1.1\r\nX: ${"a".repeat(20_000)}\r\n\r\n`, "HTTP/1.1 431 "],
      ["CONNECT x:1 HTTP/1.1\r\n\r\n", "HTTP/1.1 400 "],
      ["GET /throw HTTP/1.1\r\n\r\n", "HTTP/1.1 500 Internal Server Error"],
    ];
    for (const [raw, status] of cases) {
      const text = await exchange(l, raw, 1);
      ok(text.startsWith(status), JSON.stringify([raw.slice(0, 30), text.slice(0, 60)]));
    }
    strictEqual(errors.length, 1);
    // A request with a body is answered, then its connection closed (the body is never read).
    const post = await exchange(
      l,
      "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n",
    );
    strictEqual((post.match(/HTTP\/1\.1 /g) ?? []).length, 1, post);
    ok(post.includes("connection: close"), post);
  });
});
