/** `serve` scraped as in production: over TLS with basic auth, and by a real Prometheus. */
import assert from "node:assert/strict";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { makeCertificates } from "./helpers/certificates.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { metricLine } from "./helpers/serve_e2e_fixture.ts";
import { scratch, ServeProcess, until } from "./helpers/serve_process.ts";

const openssl = findPeer("openssl", "apt-get install openssl");
const prometheus = findPeer("prometheus", "apt-get install prometheus");

Deno.test({
  name: "serve --web-config: TLS with a generated certificate, and basic auth",
  ...peerTest(openssl),
}, async () => {
  const dir = await scratch();
  let serve: ServeProcess | undefined;
  let client: Deno.HttpClient | undefined;
  try {
    await makeCertificates(dir, requirePeer(openssl));
    await Deno.writeTextFile(
      join(dir, "web.yml"),
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n` +
        `basic_auth_users:\n  prometheus: "${bcrypt.hashSync("scrape-me", 4)}"\n`,
    );
    serve = await ServeProcess.start([
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      "examples/demo/inventory",
      "--web-config",
      join(dir, "web.yml"),
    ], { tls: true });
    client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(join(dir, "ca.crt"))] });
    serve.client = client;
    const auth = { authorization: "Basic " + btoa("prometheus:scrape-me") };
    await until("/ready over TLS", async () => {
      const res = await serve!.get("/ready", { headers: auth });
      await res.body?.cancel();
      return res.status === 200 ? true : undefined;
    });
    const denied = await serve.get("/metrics");
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get("www-authenticate")!, /^Basic /);
    await denied.body?.cancel();
    const wrong = await serve.get("/health", {
      headers: { authorization: "Basic " + btoa("prometheus:nope") },
    });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const ok = await serve.text("/metrics", { headers: auth });
    assert.match(ok, /compliance_percentage\{account_id="123456789012"/);
    // Plain HTTP to the TLS port fails.
    await assert.rejects(fetch(`http://127.0.0.1:${serve.port}/ready`).then((r) => r.text()));
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    client?.close();
    await serve?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "real Prometheus scrapes serve and reads compliance_percentage",
  ...peerTest(prometheus),
}, async () => {
  const dir = await scratch();
  const tsdb = await Deno.makeTempDir({ prefix: "serve-prometheus-" });
  let serve: ServeProcess | undefined;
  let prom: Deno.ChildProcess | undefined;
  try {
    serve = await ServeProcess.start([
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      "examples/demo/inventory",
    ]);
    await serve.waitReady();
    const expected = metricLine(
      await serve.text("/metrics"),
      "compliance_percentage",
      /account_id="123456789012",account_name="production",region="us-east-1"/,
    )!.split(" ").at(-1)!;
    const promPort = freePort();
    await Deno.writeTextFile(
      join(tsdb, "prometheus.yml"),
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: serve\n` +
        `    static_configs:\n      - targets: ["127.0.0.1:${serve.port}"]\n`,
    );
    prom = new Deno.Command(requirePeer(prometheus), {
      args: [
        `--config.file=${join(tsdb, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(tsdb, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const query = encodeURIComponent(
      'compliance_percentage{account_id="123456789012",region="us-east-1"}',
    );
    const value = await until("Prometheus to have scraped serve", async () => {
      const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${query}`);
      const body = await res.json();
      return body.data?.result?.[0]?.value?.[1] as string | undefined;
    }, 120);
    assert.equal(Number(value), Number(expected));
    // Prometheus negotiated OpenMetrics and gzip; the scrape was healthy.
    const up = await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=up`)).json();
    assert.equal(up.data.result[0].value[1], "1");
    prom.kill("SIGTERM");
    await prom.status;
    prom = undefined;
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    if (prom) {
      prom.kill("SIGKILL");
      await prom.status;
    }
    await serve?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(tsdb, { recursive: true });
  }
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
