/**
 * serve's exporter-toolkit flag names: `--web.listen-address`,
 * `--web.config.file` and `--web.telemetry-path`, as aliases of its own
 * flags, parsed, refused when given with the flag they alias, and served.
 */
import assert from "node:assert/strict";
import { listenAddressArg, telemetryPathArg } from "../src/cli/serve_flags.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { ServeProcess } from "./helpers/serve_process.ts";

Deno.test("listenAddressArg() reads HOST:PORT as exporter-toolkit does, IPv6 in brackets", () => {
  for (
    const [value, hostname, port] of [
      ["0.0.0.0:8080", "0.0.0.0", 8080],
      ["127.0.0.1:0", "127.0.0.1", 0],
      ["[::]:9100", "::", 9100],
      ["[::1]:65535", "::1", 65535],
      ["[fe80::1%eth0]:80", "fe80::1%eth0", 80],
      ["localhost:9100", "localhost", 9100],
      [":8080", "0.0.0.0", 8080],
    ] as const
  ) {
    assert.deepEqual(listenAddressArg(value), { hostname, port }, value);
  }
  for (
    const [value, why] of [
      ["::1:8080", /IPv6 host goes in brackets, e\.g\. \[::1\]:8080/],
      [":::8080", /IPv6 host goes in brackets/],
      ["8080", /expected HOST:PORT/i],
      ["[::1]", /IPv6 host goes in brackets|expected HOST:PORT/i],
      ["host:99999", /Port 99999 is above 65535/],
      ["host:", /expected HOST:PORT/i],
      ["a b:80", /expected HOST:PORT/i],
    ] as const
  ) {
    assert.throws(() => listenAddressArg(value), why, value);
  }
});

Deno.test("telemetryPathArg() takes an absolute path no other endpoint uses", () => {
  assert.equal(telemetryPathArg("/prometheus/metrics"), "/prometheus/metrics");
  assert.throws(() => telemetryPathArg("metrics"), /absolute path/);
  assert.throws(() => telemetryPathArg("/metrics?x=1"), /without query/);
  for (const taken of ["/", "/health", "/ready", "/livez", "/-/reload"]) {
    assert.throws(() => telemetryPathArg(taken), /another endpoint's path/, taken);
  }
});

Deno.test("the handler serves metrics on the telemetry path only, and its 404 names it", async () => {
  const a = app({ metricsPath: "/prometheus/metrics" });
  a.scans.queue.push(result([target("us-east-1", [])]));
  await a.refresher.refresh("test");
  const moved = await a.get("/prometheus/metrics");
  assert.equal(moved.status, 200);
  assert.match(await moved.text(), /aws_tag_exporter_up\{/);
  const old = await a.get("/metrics");
  assert.equal(old.status, 404);
  assert.equal(
    await old.text(),
    "Not found. Endpoints: /prometheus/metrics /health /ready /livez /\n",
  );
  const html = await (await a.get("/", { headers: { accept: "text/html" } })).text();
  assert.ok(html.includes('<a href="/prometheus/metrics">/prometheus/metrics</a>'), html);
  assert.equal((await (await a.get("/")).json()).config.metrics_path, "/prometheus/metrics");
});

Deno.test("serve: an alias given with the flag it aliases, or a bad value, exits 2 with one line", async () => {
  const flags = await taskFlags("serve");
  const base = [
    "serve",
    "--config",
    "examples/demo/config.yaml",
    "--inventory",
    "examples/demo/inventory",
  ];
  for (
    const [extra, expected] of [
      [
        ["--web.listen-address", "127.0.0.1:0", "--port", "0"],
        /either --web\.listen-address or --host\/--port/,
      ],
      [
        ["--host", "::", "--web.listen-address", "[::]:0"],
        /either --web\.listen-address or --host\/--port/,
      ],
      [
        ["--web.config.file", "a.yml", "--web-config", "a.yml"],
        /either --web\.config\.file or --web-config/,
      ],
      [
        ["--web.listen-address", "::1:8080"],
        /'::1:8080' is invalid\. An IPv6 host goes in brackets/,
      ],
      [
        ["--web.telemetry-path", "/ready"],
        /'\/ready' is invalid\. \/ready is another endpoint's path/,
      ],
      // The alias is read: this file is outside what the serve task may read.
      [
        ["--web.config.file", "/etc/hostname"],
        /cannot read the web config: this task's Deno permissions/,
      ],
    ] as const
  ) {
    const run = await runCli(flags, [...base, ...extra]);
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], expected);
  }
});

Deno.test("serve --web.listen-address and --web.telemetry-path: listens there, serves metrics there", async () => {
  const serve = await ServeProcess.start([
    ...["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"],
    ...["--web.listen-address", "127.0.0.1:0", "--web.telemetry-path", "/m"],
  ], { listen: [] });
  try {
    assert.match(serve.stderr, /listening url=http:\/\/127\.0\.0\.1:\d+\/ /);
    await serve.waitReady();
    assert.match(await serve.text("/m"), /compliance_percentage\{/);
    assert.equal(await serve.code("/metrics"), 404);
  } finally {
    assert.equal(await serve.stop(), 0, serve.stderr);
  }
});
