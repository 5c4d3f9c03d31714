/**
 * Client certificates and a minimum TLS version (`client_auth_type`,
 * `client_ca_file`, `min_version`), with certificates made by the real
 * openssl: each policy against no certificate, one signed by the trusted CA
 * and one signed by another CA; `serve` itself end to end, with openssl's
 * TLS 1.2-only client refused; and the accept loop under descriptor
 * pressure over mTLS.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../src/errors.ts";
import { listenHttp } from "../src/serve/http_listener.ts";
import { intervalSchedule } from "../src/serve/schedule.ts";
import { runServe } from "../src/serve/server.ts";
import type { ClientAuthType } from "../src/serve/tls_settings.ts";
import { makeCertificates, PKI } from "./helpers/certificates.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { taskFlags } from "./helpers/run_cli.ts";
import { scratch, ServeProcess, until } from "./helpers/serve_process.ts";
import { config, ScriptedScans } from "./testdata/serve/fixtures.ts";

const openssl = findPeer("openssl", "apt-get install openssl");
const ROOT = new URL("../", import.meta.url).pathname;
const DEMO = ["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"];

/** Certificates in a scratch directory, read; removed by `close`. */
async function pki() {
  const dir = await scratch();
  await makeCertificates(dir, requirePeer(openssl));
  const read = (f: string) => Deno.readTextFileSync(join(dir, f));
  const clients = {
    none: { caCerts: [read(PKI.ca)] },
    trusted: { caCerts: [read(PKI.ca)], cert: read(PKI.clientCert), key: read(PKI.clientKey) },
    stranger: { caCerts: [read(PKI.ca)], cert: read(PKI.strangerCert), key: read(PKI.strangerKey) },
  };
  return { dir, read, clients, close: () => Deno.remove(dir, { recursive: true }) };
}

type Client = "none" | "trusted" | "stranger";

/** GETs `url` with a client presenting `client`'s certificate: the status, or "refused". */
async function fetchAs(
  url: string,
  opts: Deno.CreateHttpClientOptions,
): Promise<number | "refused"> {
  using client = Deno.createHttpClient(opts);
  try {
    const res = await fetch(url, { client });
    await res.body?.cancel();
    return res.status;
  } catch {
    return "refused";
  }
}

Deno.test({
  name: "each client_auth_type admits and refuses clients as Go's tls.ClientAuthType does",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  try {
    const expected: [ClientAuthType, Record<Client, number | "refused">][] = [
      ["NoClientCert", { none: 200, trusted: 200, stranger: 200 }],
      ["RequestClientCert", { none: 200, trusted: 200, stranger: 200 }],
      ["RequireAnyClientCert", { none: "refused", trusted: 200, stranger: 200 }],
      ["VerifyClientCertIfGiven", { none: 200, trusted: 200, stranger: "refused" }],
      ["RequireAndVerifyClientCert", { none: "refused", trusted: 200, stranger: "refused" }],
    ];
    for (const [clientAuth, outcomes] of expected) {
      const server = listenHttp({
        hostname: "127.0.0.1",
        port: 0,
        tls: {
          cert: p.read(PKI.serverCert),
          key: p.read(PKI.serverKey),
          clientAuth,
          clientCa: clientAuth === "NoClientCert" ? null : p.read(PKI.ca),
          // TLS13 puts NoClientCert on the node:tls path too.
          minVersion: "TLS13",
        },
        handler: () => Promise.resolve(new Response("ok\n")),
        onError: () => {},
        onAcceptError: () => {},
      });
      try {
        const url = `https://127.0.0.1:${server.addr.port}/`;
        for (const [client, outcome] of Object.entries(outcomes)) {
          const got = await fetchAs(url, p.clients[client as Client]);
          assert.equal(got, outcome, `${clientAuth}, client ${client}`);
        }
      } finally {
        await server.shutdown();
      }
    }
  } finally {
    await p.close();
  }
});

/** `openssl s_client` at `version` with the trusted client certificate: what it printed. */
async function sClient(port: number, dir: string, version: "-tls1_2" | "-tls1_3") {
  const child = new Deno.Command(requirePeer(openssl), {
    args: [
      ...["s_client", "-connect", `127.0.0.1:${port}`, version, "-quiet"],
      ...["-CAfile", PKI.ca, "-cert", PKI.clientCert, "-key", PKI.clientKey],
    ],
    cwd: dir,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode("GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
  );
  await writer.close();
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { ok: out.success, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test({
  name: "serve with RequireAndVerifyClientCert and min_version TLS13: only trusted TLS 1.3 clients",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  let serve: ServeProcess | undefined;
  try {
    await Deno.writeTextFile(
      join(p.dir, "web.yml"),
      "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
        "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n" +
        "  min_version: TLS13\n",
    );
    serve = await ServeProcess.start([...DEMO, "--web.config.file", join(p.dir, "web.yml")], {
      tls: true,
    });
    const url = serve.url("/metrics");
    using trusted = Deno.createHttpClient(p.clients.trusted);
    serve.client = trusted;
    await serve.waitReady();
    assert.match(await serve.text("/metrics"), /compliance_percentage\{account_id="123456789012"/);
    assert.equal(await fetchAs(url, p.clients.none), "refused", "no certificate");
    assert.equal(await fetchAs(url, p.clients.stranger), "refused", "a certificate of another CA");
    const tls13 = await sClient(serve.port, p.dir, "-tls1_3");
    assert.match(tls13.stdout, /^HTTP\/1\.1 200 OK\r\n/, tls13.stderr);
    // The same client, certificate and request, limited to TLS 1.2: the handshake is cut (over
    // node:tls on a Deno connection the refusal comes as a closed connection, not an alert).
    const tls12 = await sClient(serve.port, p.dir, "-tls1_2");
    assert.equal(tls12.ok, false, tls12.stdout);
    assert.equal(tls12.stdout, "", "a TLS 1.2 client gets no answer");
    assert.match(tls12.stderr, /SSL routines/);
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await p.close();
  }
});

Deno.test({
  name: "serve over mTLS under ulimit -n 256 survives 400 idle connections and still answers",
  ignore: Deno.build.os !== "linux" || peerTest(openssl).ignore,
}, async () => {
  const p = await pki();
  await Deno.writeTextFile(
    join(p.dir, "web.yml"),
    "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
      "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n",
  );
  // The default --max-connections (256) is above what ulimit -n 256 leaves: accepts fail (EMFILE).
  const child = new Deno.Command("bash", {
    args: [
      ...["-c", 'ulimit -n 256 && exec "$@"', "bash", Deno.execPath(), "run", "--frozen"],
      ...await taskFlags("serve"),
      ...["main.ts", "serve", ...DEMO, "--host", "127.0.0.1", "--port", "0"],
      ...["--web-config", join(p.dir, "web.yml")],
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  const drained = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log += chunk;
  })();
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const conns: Deno.Conn[] = [];
  try {
    const port = Number(
      await until(
        "the listening line",
        () => Promise.resolve(/listening url=\S+ port=(\d+)/.exec(log)?.[1]),
      ),
    );
    const url = `https://127.0.0.1:${port}/health`;
    await until(
      "the first scan",
      () => Promise.resolve(log.includes("scan finished") || undefined),
    );
    for (let i = 0; i < 400; i++) conns.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!exited, `serve died: ${log}`);
    for (const c of conns.splice(0)) c.close();
    assert.equal(
      await until("/health over mTLS", async () => {
        const got = await fetchAs(url, p.clients.trusted);
        return got === 200 ? got : undefined;
      }),
      200,
    );
    assert.equal(await fetchAs(url, p.clients.stranger), "refused");
    assert.match(log, /cannot accept a connection; retrying/, "descriptors did run out");
  } finally {
    for (const c of conns) c.close();
    if (!exited) child.kill("SIGTERM");
    assert.equal((await status).code, 0, log);
    await drained;
    await p.close();
  }
});

Deno.test({
  name: "a client that never finishes the mTLS handshake is closed after the idle timeout",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  const server = listenHttp({
    hostname: "127.0.0.1",
    port: 0,
    tls: {
      cert: p.read(PKI.serverCert),
      key: p.read(PKI.serverKey),
      clientAuth: "RequireAndVerifyClientCert",
      clientCa: p.read(PKI.ca),
      minVersion: "TLS12",
    },
    handler: () => Promise.resolve(new Response("ok\n")),
    onError: () => {},
    onAcceptError: () => {},
    limits: { idleTimeoutMs: 200 },
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await until(
      "the connection to be admitted",
      () => Promise.resolve(server.connections === 1 || undefined),
    );
    // Half a ClientHello, then nothing.
    await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8]));
    const n = await conn.read(new Uint8Array(64)).catch(() => null);
    assert.equal(n, null, "closed by the server");
    await until(
      "the guard to forget it",
      () => Promise.resolve(server.connections === 0 || undefined),
    );
  } finally {
    conn.close();
    await server.shutdown();
    await p.close();
  }
});

Deno.test({
  name:
    "runServe() refuses a key that does not match the certificate, before any scan, in one line",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  try {
    const scans = new ScriptedScans();
    const web = {
      tls: {
        cert: p.read(PKI.serverCert),
        key: p.read(PKI.strangerKey),
        certFile: "/etc/exporter/tls.crt",
        keyFile: "/etc/exporter/tls.key",
        clientAuth: "RequireAndVerifyClientCert" as const,
        clientCa: p.read(PKI.ca),
        clientCaFile: "/etc/exporter/ca.crt",
        minVersion: "TLS12" as const,
      },
      users: new Map(),
    };
    await assert.rejects(
      runServe({
        hostname: "127.0.0.1",
        port: 0,
        schedule: intervalSchedule(60),
        scan: scans.scan,
        detail: config.detailMetrics,
        status: { config, source: "inventory", livenessIntervals: 3 },
        web,
        shutdownGraceSeconds: 0,
        stop: new AbortController().signal,
      }),
      (e: Error) => {
        assert.ok(e instanceof ConfigError, e.message);
        assert.match(
          e.message,
          /key "\/etc\/exporter\/tls\.key" was rejected: the private key does not match the certificate/,
        );
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
    assert.equal(scans.calls, 0);
  } finally {
    await p.close();
  }
});
