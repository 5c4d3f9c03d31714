/**
 * `serve` as it runs in production: the real program in a subprocess with
 * exactly the serve task's permission flags from deno.json, on port 0 (the
 * bound port is read from its log), against the offline inventory source and
 * the project's fake AWS, over TLS with basic auth, and scraped by a real
 * Prometheus. No assertion depends on timing: every wait polls for a state.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { EXIT_CODES_HELP } from "../src/cli/exit_codes_help.ts";
import { SERVE_EXIT_CODES_HELP } from "../src/cli/serve_command.ts";
import { startFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, resourceAt } from "./helpers/aws.ts";
import { makeCertificates } from "./helpers/certificates.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { scratch, ServeProcess, until } from "./helpers/serve_process.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DEMO = join(ROOT, "examples/demo");
const decoder = new TextDecoder();

function metricLine(text: string, name: string, labels: RegExp): string | undefined {
  return text.split("\n").find((l) => l.startsWith(name + "{") && labels.test(l));
}

Deno.test("serve (inventory): ready, correct metrics, failed target, rescans drop removed resources, SIGTERM exits 0", async () => {
  const dir = await scratch();
  let serve: ServeProcess | undefined;
  try {
    const inv = join(dir, "inventory");
    await copyDir(join(DEMO, "inventory"), inv);
    const missing = join(inv, "012345678901/eu-west-1.json");
    await Deno.remove(missing);
    serve = await ServeProcess.start([
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      inv,
    ]);
    await serve.waitReady();

    // A failed target: /health 503 naming it, and / says why.
    const health = await serve.get("/health");
    assert.equal(health.status, 503);
    const body = await health.json();
    assert.deepEqual(
      body.failed_targets.map((
        t: { region: string; error_code: string },
      ) => [t.region, t.error_code]),
      [["eu-west-1", "NoInventory"]],
    );
    const status = await (await serve.get("/")).json();
    const failed = status.data.targets.find((t: { ok: boolean }) => !t.ok);
    assert.equal(failed.account_id, "012345678901");
    assert.match(failed.error, /no inventory file covers account 012345678901 region eu-west-1/);
    assert.equal(await serve.code("/livez"), 200);

    // /metrics matches what `scan` computes from the same inventory.
    const metrics = await serve.text("/metrics");
    const scan = await runCli(await taskFlags("scan"), [
      "scan",
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      inv,
    ]);
    assert.equal(scan.code, 3, scan.stderr);
    const target = /account_id="123456789012",account_name="production",region="us-east-1"/;
    const served = metricLine(metrics, "compliance_percentage", target);
    assert.ok(served);
    assert.equal(served, metricLine(scan.stdout, "compliance_percentage", target));
    assert.match(
      metrics,
      /aws_tag_exporter_up\{account_id="012345678901",[^}]*region="eu-west-1"\} 0/,
    );

    // Restore the missing file and remove one non-compliant resource; rescan.
    await Deno.copyFile(join(DEMO, "inventory/012345678901/eu-west-1.json"), missing);
    const file = join(inv, "123456789012/us-east-1.json");
    const doc = JSON.parse(await Deno.readTextFile(file));
    const gone = (doc.ResourceTagMappingList as { ResourceARN: string }[])
      .map((r) => r.ResourceARN)
      .find((arn) => metrics.includes(`resource_arn="${arn}"`))!;
    assert.ok(gone);
    doc.ResourceTagMappingList = doc.ResourceTagMappingList.filter((r: { ResourceARN: string }) =>
      r.ResourceARN !== gone
    );
    await Deno.writeTextFile(file, JSON.stringify(doc));
    await serve.rescan();
    const after = await serve.text("/metrics");
    assert.ok(!after.includes(gone), "the removed resource's series are gone");
    assert.match(after, /aws_tag_exporter_scans_total\{result="success"\} 1/);
    assert.match(after, /aws_tag_exporter_scans_total\{result="partial"\} 1/);
    assert.equal(await serve.code("/health"), 200);
    assert.equal(await serve.stop("SIGTERM"), 0);
    assert.match(serve.stderr, /msg="shutting down" signal=SIGTERM[\s\S]*msg=stopped/);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve --help lists only serve's exit codes, names the reload signal and warns off SIGUSR1", async () => {
  const flags = await taskFlags("serve");
  const serve = await runCli(flags, ["serve", "--help"]);
  assert.equal(serve.code, 0, serve.stderr);
  const text = serve.stdout.replace(/\s+/g, " ");
  assert.ok(text.includes(SERVE_EXIT_CODES_HELP.replace(/\s+/g, " ").trim()), serve.stdout);
  const codes = [
    ...serve.stdout.slice(serve.stdout.indexOf("Exit codes:")).matchAll(/^ {2}(\d) /gm),
  ]
    .map((m) => m[1]);
  assert.deepEqual(codes, ["0", "1", "2"], "serve never exits 3, 4 or 5");
  assert.match(text, /cannot be bound/);
  assert.doesNotMatch(text, /no command means scan/);
  assert.match(text, /SIGHUP \(and POST \/-\/reload with --web\.enable-lifecycle\) re-reads/);
  assert.match(text, /SIGHUP scans anyway/);
  assert.match(text, /--web\.enable-lifecycle/);
  assert.match(text, /never send SIGUSR1/i);
  assert.doesNotMatch(text, /\bseed\b/i);
  // The program's help keeps the full list, for scan and report.
  const top = await runCli(flags, ["--help"]);
  assert.ok(top.stdout.includes(EXIT_CODES_HELP.trim()), top.stdout);
});

Deno.test("serve: a bad interval or web config exits 2 with one line, before listening", async () => {
  const dir = await scratch();
  try {
    await Deno.writeTextFile(
      join(dir, "web.yml"),
      "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
    );
    await Deno.writeTextFile(
      join(dir, "tls.yml"),
      "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n",
    );
    await Deno.writeTextFile(join(dir, "tls.crt"), "not a certificate\n");
    await Deno.writeTextFile(
      join(dir, "tls.key"),
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    const flags = await taskFlags("serve");
    const base = [
      "serve",
      "--port",
      "0",
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      "examples/demo/inventory",
    ];
    for (
      const [extra, env, expected] of [
        [
          ["--refresh-interval", "90"],
          {},
          /--refresh-interval: "90" is not a whole number of minutes/,
        ],
        [
          [],
          { AWS_TAG_EXPORTER_REFRESH_INTERVAL: "45" },
          /AWS_TAG_EXPORTER_REFRESH_INTERVAL: "45"/,
        ],
        [["--schedule", "every hour"], {}, /--schedule "every hour": has 2 fields/],
        [
          ["--web-config", join(dir, "web.yml")],
          {},
          /tls_server_config\.client_ca_file: is required with client_auth_type RequireAndVerifyClientCert/,
        ],
        [
          ["--web-config", join(dir, "tls.yml")],
          {},
          /tls\.crt: no PEM certificate .*tls_server_config\.cert_file/,
        ],
        [
          ["--web-config", "/etc/hostname"],
          {},
          /cannot read the web config: this task's Deno permissions do not cover this path/,
        ],
      ] as const
    ) {
      const run = await runCli(flags, [...base, ...extra], { env });
      assert.equal(run.code, 2, run.stderr);
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], expected);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve (fake AWS): scans over the wire, drops a deleted resource on rescan, exits 0", async () => {
  const A = "111111111111";
  const resources = Array.from({ length: 40 }, (_, i) => resourceAt(A, "us-east-1", i));
  const fake = await startFakeAws({ inventory: { [A]: { "us-east-1": resources } } });
  const dir = await scratch();
  let serve: ServeProcess | undefined;
  try {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      configYaml({ accounts: { [A]: ["us-east-1"] }, endpointUrl: fake.url }),
    );
    const home = join(dir, "home");
    await Deno.mkdir(home);
    const denoDir = JSON.parse(
      decoder.decode(
        (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output()).stdout,
      ),
    ).denoDir;
    // Both take Prometheus durations.
    serve = await ServeProcess.start(["--config", config, "--shutdown-grace", "30s"], {
      clearEnv: true,
      env: { ...BASE_ENV, HOME: home, DENO_DIR: denoDir, AWS_TAG_EXPORTER_REFRESH_INTERVAL: "10m" },
    });
    await serve.waitReady();
    const first = await serve.text("/metrics");
    assert.match(first, /resources_scanned_total\{account_id="111111111111",[^}]*\} 40/);
    assert.match(first, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 1/);
    const doc = await (await serve.get("/")).json();
    assert.equal(doc.config.schedule, "every 10 minutes", "the env var sets the interval");
    const victim = resources.find((r) => first.includes(`resource_arn="${r.ResourceARN}"`))!;
    resources.splice(resources.indexOf(victim), 1);
    await serve.rescan();
    const second = await serve.text("/metrics");
    assert.match(second, /resources_scanned_total\{account_id="111111111111",[^}]*\} 39/);
    assert.ok(!second.includes(victim.ResourceARN));
    // API counters accumulate across scans in the long-lived self registry,
    // taken from the one source's totals (not its totals summed per scan).
    assert.match(second, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 2\n/);
    // One AWS source for the process: the role's session was reused by the rescan.
    assert.equal(fake.stats.calls.AssumeRole, 1);
    assert.match(second, /aws_tag_exporter_api_requests_total\{api="AssumeRole"\} 1\n/);
    for (const secret of fake.stats.issuedSecrets) assert.ok(!serve.stderr.includes(secret));
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

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

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}
