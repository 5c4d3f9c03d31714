/** `serve` itself over mTLS: only trusted TLS 1.3 clients, and 400 idle connections under ulimit. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PKI } from "./helpers/certificates.ts";
import { peerTest, requirePeer } from "./helpers/peers.ts";
import { taskFlags } from "./helpers/run_cli.ts";
import { fetchAs, openssl, pki } from "./helpers/serve_mtls_fixture.ts";
import { ServeProcess, until } from "./helpers/serve_process.ts";
import { DEMO_ARGS as DEMO } from "./helpers/demo.ts";

const ROOT = new URL("../", import.meta.url).pathname;

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
      ...["-c", 'ulimit -n 256 && exec "$@"', "bash"],
      ...[Deno.execPath(), "run", "--frozen", "--cached-only"],
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
