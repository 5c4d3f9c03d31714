/**
 * Several `.prom` files in one node_exporter textfile directory, read by
 * Debian's real `prometheus-node-exporter`: two files of the same exporter
 * collide (node_exporter logs `... was collected before with the same name
 * and label values` and drops the duplicates), unless each carries a
 * distinguishing label: `--label org=...` for two organisations, `shard`
 * (added by `--shard`) for the shards of one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";
import { DEMO_ARGS as DEMO } from "./helpers/demo.ts";

const nodeExporter = findPeer(
  "prometheus-node-exporter",
  "apt-get install prometheus-node-exporter",
  "NODE_EXPORTER_BIN",
);
const SCAN = await taskFlags("scan");
const COLLISION = "was collected before with the same name and label values";

/** Writes `file` with the real CLI: `scan` of the demo inventory plus `args`. */
async function scanTo(file: string, args: string[]): Promise<void> {
  const run = await runCli(SCAN, ["scan", "--quiet", ...DEMO, ...args, "--output", file]);
  assert.ok(run.code === 0 || run.code === 3, run.stderr);
}

/**
 * Starts node_exporter with only the textfile collector on `dir`, scrapes
 * it once, stops it, and returns the scrape and what it logged.
 */
async function scrape(bin: string, dir: string): Promise<{ metrics: string; log: string }> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command(bin, {
    args: [
      "--collector.disable-defaults",
      "--collector.textfile",
      `--collector.textfile.directory=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Read the log as it comes: a collision logs one line per duplicate series,
  // more than a pipe holds, and node_exporter would block on it mid-scrape.
  const logText = new Response(child.stderr).text();
  let metrics: string | null = null;
  try {
    const deadline = Date.now() + 10_000;
    while (metrics === null && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        if (res.ok) metrics = await res.text();
        else await res.body?.cancel();
      } catch { /* not listening yet */ }
      if (metrics === null) await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
  }
  await child.status;
  const log = await logText;
  if (metrics === null) throw new Error(`node_exporter did not answer on port ${port}: ${log}`);
  return { metrics, log };
}

/** The series of family `name` in a scrape. */
function seriesOf(metrics: string, name: string): string[] {
  return metrics.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

Deno.test({
  name: "two textfiles of one config collide in node_exporter without a distinguishing label",
  ...peerTest(nodeExporter),
  async fn() {
    const bin = requirePeer(nodeExporter);
    await withTempDir(async (dir) => {
      await scanTo(join(dir, "a.prom"), []);
      await scanTo(join(dir, "b.prom"), []);
      const { metrics, log } = await scrape(bin, dir);
      // The failure the labels exist for: node_exporter logs it and keeps one copy.
      assert.ok(log.includes(COLLISION), log);
      assert.equal(seriesOf(metrics, "aws_tag_exporter_scan_duration_seconds").length, 1);
      // The demo has 2 accounts x 2 regions: 4 series, not 8.
      assert.equal(seriesOf(metrics, "resources_scanned_total").length, 4);
    });
  },
});

Deno.test({
  name: "--label org=... keeps two organisations' textfiles apart in node_exporter",
  ...peerTest(nodeExporter),
  async fn() {
    const bin = requirePeer(nodeExporter);
    await withTempDir(async (dir) => {
      await scanTo(join(dir, "acme.prom"), ["--label", "org=acme"]);
      await scanTo(join(dir, "globex.prom"), ["--label", "org=globex"]);
      const { metrics, log } = await scrape(bin, dir);
      assert.ok(!log.includes(COLLISION), log);
      assert.match(metrics, /^node_textfile_scrape_error 0$/m);
      assert.deepEqual(
        seriesOf(metrics, "aws_tag_exporter_scan_duration_seconds")
          .map((l) => l.replace(/ .*/, "")).sort(),
        [
          'aws_tag_exporter_scan_duration_seconds{org="acme"}',
          'aws_tag_exporter_scan_duration_seconds{org="globex"}',
        ],
      );
      // Every series of both files: 4 account-regions each.
      assert.equal(seriesOf(metrics, "resources_scanned_total").length, 8);
    });
  },
});

Deno.test({
  name: "the shards of one organisation share a textfile directory: shard tells them apart",
  ...peerTest(nodeExporter),
  async fn() {
    const bin = requirePeer(nodeExporter);
    await withTempDir(async (dir) => {
      // FNV-1a mod 4 puts the demo's staging account (012345678901) in shard 1
      // and production (123456789012) in shard 3, worked out with shardOf.
      await scanTo(join(dir, "shard-1.prom"), ["--shard", "1/4"]);
      await scanTo(join(dir, "shard-3.prom"), ["--shard", "3/4"]);
      const { metrics, log } = await scrape(bin, dir);
      assert.ok(!log.includes(COLLISION), log);
      assert.match(metrics, /^node_textfile_scrape_error 0$/m);
      assert.deepEqual(
        seriesOf(metrics, "aws_tag_exporter_last_scan_timestamp_seconds")
          .map((l) => l.replace(/ .*/, "")).sort(),
        [
          'aws_tag_exporter_last_scan_timestamp_seconds{shard="1/4"}',
          'aws_tag_exporter_last_scan_timestamp_seconds{shard="3/4"}',
        ],
      );
      const scanned = seriesOf(metrics, "resources_scanned_total");
      assert.equal(scanned.length, 4);
      assert.equal(scanned.filter((l) => l.includes('account_name="staging"')).length, 2);
      assert.ok(
        scanned.filter((l) => l.includes('account_name="staging"'))
          .every((l) => l.includes('shard="1/4"')),
        scanned.join("\n"),
      );
      assert.ok(
        scanned.filter((l) => l.includes('account_name="production"'))
          .every((l) => l.includes('shard="3/4"')),
        scanned.join("\n"),
      );
    });
  },
});
