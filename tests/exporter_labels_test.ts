/**
 * Constant labels (`exporter_labels:`, `--label`, and `shard` with
 * `--shard`) end up on every series of every output: scan's Prometheus text
 * and OpenMetrics (detail families included), and serve's snapshot plus its
 * live self-metrics; flags override the config; bad names exit 2 in one line.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { exporterLabels, parseLabelFlag } from "../src/cli/label_flags.ts";
import { configSummary } from "../src/cli/validate_command.ts";
import { parseConfig } from "../src/config/parse.ts";
import { runDemoScan } from "./helpers/demo.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const promtool = findPeer("promtool", "apt-get install prometheus", "PROMTOOL");
const DEMO_CONFIG = await Deno.readTextFile("examples/demo/config.yaml");

/** The series lines of an exposition (no comments, no blank lines). */
function series(text: string): string[] {
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/** The label text of a series line: what is between its braces. */
function labelText(line: string): string {
  const open = line.indexOf("{");
  return open < 0 ? "" : line.slice(open + 1, line.lastIndexOf("}"));
}

Deno.test("parseLabelFlag() splits NAME=VALUE and refuses names the exporter uses", () => {
  assert.deepEqual(parseLabelFlag("org=a=b"), ["org", "a=b"]);
  assert.deepEqual(parseLabelFlag("org="), ["org", ""]);
  for (
    const [spec, why] of [
      ["org", /not NAME=VALUE/],
      ["account_id=1", /the exporter writes itself/],
      ["shard=1", /set by --shard/],
      ["instance=x", /set by Prometheus/],
      ["__name__=x", /reserves/],
      ["1org=x", /not a Prometheus label name/],
      [`org=${"x".repeat(1025)}`, /is 1025 characters; at most 1024/],
    ] as const
  ) {
    assert.throws(() => parseLabelFlag(spec), (e: Error) => {
      assert.ok(e instanceof InvalidArgumentError && why.test(e.message), e.message);
      return true;
    });
  }
});

Deno.test("exporterLabels(): config, then --label over it, then shard as INDEX/COUNT", () => {
  const config = parseConfig(
    DEMO_CONFIG + '\nexporter_labels: {org: acme, team: "platform"}\n',
    "c.yaml",
  );
  assert.deepEqual(config.exporterLabels, { org: "acme", team: "platform" });
  assert.deepEqual(
    exporterLabels(config, { label: ["team=sre", "env=prod"], shard: { index: 1, count: 3 } }),
    { org: "acme", team: "sre", env: "prod", shard: "1/3" },
  );
  assert.deepEqual(exporterLabels(parseConfig(DEMO_CONFIG, "c.yaml"), {}), {});
});

Deno.test({
  name: "scan puts the labels on every series of both formats, detail included, promtool-clean",
  ...peerTest(promtool),
  async fn() {
    requirePeer(promtool);
    await withTempDir(async (dir) => {
      const config = join(dir, "config.yaml");
      await Deno.writeTextFile(
        config,
        DEMO_CONFIG + '\nexporter_labels:\n  org: "acme \\"eu\\""\n  team: platform\n',
      );
      const args = [
        "--config",
        config,
        "--label",
        "team=sre",
        "--shard",
        "0/1",
        "--inventory",
        "examples/demo/inventory",
      ];
      const plain = await runDemoScan();
      for (const format of ["prometheus", "openmetrics"]) {
        const run = await runCli(await taskFlags("scan"), ["scan", "-q", ...args, "-f", format]);
        assert.equal(run.code, 0, run.stderr);
        const lines = series(run.stdout);
        // One shard of one covers every account: the same series as without labels, each labelled.
        assert.equal(lines.length, series(plain.stdout).length);
        assert.ok(lines.some((l) => l.startsWith("tag_missing_detail{")));
        for (const line of lines) {
          assert.ok(
            labelText(line).endsWith(',org="acme \\"eu\\"",shard="0/1",team="sre"') ||
              labelText(line) === 'org="acme \\"eu\\"",shard="0/1",team="sre"',
            line,
          );
        }
        if (format === "prometheus") assert.deepEqual(await promtoolProblems(run.stdout), []);
      }
    });
  },
});

Deno.test("scan --label with a name the exporter uses exits 2 in one line before scanning", async () => {
  const run = await runCli(await taskFlags("scan"), [
    "scan",
    "--config",
    "examples/demo/config.yaml",
    "--inventory",
    "examples/demo/inventory",
    "--label",
    "tag=x",
  ]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /--label .*"tag" is a label the exporter writes itself/);
});

Deno.test("serve: the snapshot and the live self-metrics carry the labels, in both formats", async () => {
  const labels = { org: "acme", shard: "1/3" };
  const a = app({ labels: () => labels });
  const before = await (await a.get("/metrics")).text();
  assert.match(
    before,
    /^aws_tag_exporter_build_info\{version="[^"]+",org="acme",shard="1\/3"\} 1$/m,
  );
  a.scans.queue.push(
    result([target("us-east-1", ["arn:aws:ec2:us-east-1:111111111111:instance/i-1"])]),
  );
  assert.equal(await a.refresher.refresh("test"), "success");
  for (const accept of ["text/plain", "application/openmetrics-text;version=1.0.0"]) {
    const text = await (await a.get("/metrics", { headers: { accept } })).text();
    const lines = series(text).filter((l) => l !== "# EOF");
    assert.ok(lines.some((l) => l.startsWith("aws_tag_exporter_scans_total{")), text);
    assert.ok(lines.some((l) => l.startsWith("process_resident_memory_bytes{")), text);
    assert.ok(lines.some((l) => l.startsWith("tag_compliant_total{")), text);
    for (const line of lines) {
      const l = labelText(line);
      assert.ok(l === 'org="acme",shard="1/3"' || l.endsWith(',org="acme",shard="1/3"'), line);
    }
  }
  assert.deepEqual(await promtoolProblems(await (await a.get("/metrics")).text()), []);
  // The status page names the labels the series carry (flags and shard included), JSON and HTML.
  assert.deepEqual((await (await a.get("/")).json()).config.exporter_labels, labels);
  const html = await (await a.get("/", { headers: { accept: "text/html" } })).text();
  assert.match(html, /; labels on every series org=&#34;acme&#34;, shard=&#34;1\/3&#34;\.<\/p>/);
});

Deno.test("validate's summary names the constant labels and the service type format when set", () => {
  const plain = configSummary(parseConfig(DEMO_CONFIG, "c.yaml"));
  assert.doesNotMatch(plain, /labels|service:type/);
  const set = configSummary(
    parseConfig(
      DEMO_CONFIG + '\nexporter_labels: {org: acme, team: "a b"}\nresource_type_format: service\n',
      "c.yaml",
    ),
  );
  assert.equal(
    set.split("\n")[0],
    plain.split("\n")[0] +
      '; resource types as service:type; labels on every series: org="acme", team="a b"',
  );
});

Deno.test("scan takes at most 32 --label flags, with one line and exit 2", async () => {
  const labels = Array.from({ length: 33 }, (_, i) => ["--label", `l${i}=x`]).flat();
  const run = await runCli(await taskFlags("scan"), [
    "scan",
    ...["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"],
    ...labels,
  ]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /more than 32 --label flags/);
});
