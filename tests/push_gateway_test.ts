/** pushMetrics() and scan --push against a real Pushgateway: groups, PUT semantics, failures. */
import assert from "node:assert/strict";
import { processIo } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import { DEMO_ARGS, runDemoScan } from "./helpers/demo.ts";
import { pushMetrics } from "../src/output/push.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { BODY } from "./helpers/push_fixture.ts";

// Debian's package installs it as prometheus-pushgateway; upstream calls it pushgateway.
const gateway = findPeer(
  Deno.env.get("PUSHGATEWAY_BIN") ? "pushgateway" : "prometheus-pushgateway",
  "apt-get install prometheus-pushgateway",
  "PUSHGATEWAY_BIN",
);

interface Gateway {
  url: string;
  stop(): Promise<string>;
}

async function startGateway(bin: string): Promise<Gateway> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = new Deno.Command(bin, {
    // An empty persistence file turns persistence off (Debian's default writes to /var/lib).
    args: [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file=", "--log.level=warn"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return "";
    stopped = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    const out = await child.output();
    return new TextDecoder().decode(out.stderr);
  };
  const deadline = Date.now() + 10_000;
  while (true) {
    try {
      const res = await fetch(`${url}/-/ready`);
      await res.body?.cancel();
      if (res.ok) return { url, stop };
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      throw new Error(`pushgateway did not start on ${url}: ${await stop()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function gatewayMetrics(url: string): Promise<string[]> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  return (await res.text()).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

function has(lines: string[], name: string, ...labels: string[]): boolean {
  return lines.some((l) => l.startsWith(name + "{") && labels.every((x) => l.includes(x)));
}

Deno.test({
  name: "pushMetrics() PUTs to a real Pushgateway and replaces the whole group",
  ...peerTest(gateway),
  async fn(t) {
    const gw = await startGateway(requirePeer(gateway));
    try {
      await t.step(
        "a push shows up in the gateway's /metrics with the grouping labels",
        async () => {
          await pushMetrics(gw.url, "aws_tag_compliance", { shard: "0" }, [BODY]);
          const lines = await gatewayMetrics(gw.url);
          assert.ok(
            has(
              lines,
              "tag_compliant_total",
              'region="us-east-1"',
              'job="aws_tag_compliance"',
              'shard="0"',
            ),
            lines.join("\n"),
          );
          assert.ok(has(lines, "tag_compliant_total", 'region="eu-west-1"', 'shard="0"'));
        },
      );

      await t.step("a second push without a series removes it (PUT semantics)", async () => {
        const without = BODY.split("\n").filter((l) => !l.includes("eu-west-1")).join("\n");
        await pushMetrics(gw.url, "aws_tag_compliance", { shard: "0" }, [without]);
        const lines = await gatewayMetrics(gw.url);
        assert.ok(has(lines, "tag_compliant_total", 'region="us-east-1"', 'shard="0"'));
        assert.ok(!has(lines, "tag_compliant_total", 'region="eu-west-1"'), lines.join("\n"));
      });

      await t.step(
        "another group is left alone, and @base64 label values arrive decoded",
        async () => {
          await pushMetrics(gw.url, "aws_tag_compliance", { shard: "1", team: "a/b", empty: "" }, [
            BODY.replace(/ 5$/m, " 9"),
          ]);
          const lines = await gatewayMetrics(gw.url);
          assert.ok(has(lines, "tag_compliant_total", 'shard="0"', 'region="us-east-1"'));
          assert.ok(
            has(lines, "tag_compliant_total", 'shard="1"', 'team="a/b"', 'region="eu-west-1"'),
            lines.join("\n"),
          );
        },
      );

      await t.step("a whole demo scan's exposition is accepted", async () => {
        const run = await runDemoScan();
        assert.equal(run.code, 0);
        await pushMetrics(gw.url, "demo", {}, [run.stdout]);
        const lines = await gatewayMetrics(gw.url);
        assert.ok(has(lines, "aws_tag_exporter_build_info", 'job="demo"'), lines.join("\n"));
        assert.ok(has(lines, "tag_missing_detail", 'job="demo"', 'resource_arn="arn:'));
        assert.ok(has(lines, "compliance_percentage", 'job="demo"', 'account_name="staging"'));
      });

      await t.step(
        "a rejected push throws one line with the status and the gateway's reason",
        async () => {
          await assert.rejects(
            pushMetrics(gw.url, "aws_tag_compliance", {}, ["this is { not metrics\n"]),
            (e: Error) => {
              assert.match(
                e.message,
                /^push to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/aws_tag_compliance failed: HTTP 400 Bad Request: \S/,
              );
              assert.ok(!e.message.includes("\n"), e.message);
              return true;
            },
          );
        },
      );

      const quietIo = (errors: string[]) => ({
        ...processIo(),
        stdout: async (c: AsyncIterable<string> | Iterable<string>) => {
          for await (const _ of c) throw new Error("scan --push must not write stdout");
        },
        stderr: (line: string) => errors.push(line),
      });
      const demo = ["--quiet", ...DEMO_ARGS];

      await t.step("scan --push pushes the scan under its job and grouping labels", async () => {
        const errors: string[] = [];
        const code = await runCli(
          ["scan", ...demo, "--push", gw.url, "--push-job", "cli", "--push-label", "shard=0"],
          quietIo(errors),
        );
        assert.equal(code, 0, errors.join("\n"));
        const lines = await gatewayMetrics(gw.url);
        assert.ok(
          has(lines, "resources_scanned_total", 'job="cli"', 'shard="0"'),
          lines.join("\n"),
        );
      });

      await t.step(
        "shards push to groups of their own; --label rides in the body unless the group sets it",
        async () => {
          // FNV-1a mod 4: the demo's staging account is in shard 1, production in shard 3.
          for (const shard of ["1/4", "3/4"]) {
            const errors: string[] = [];
            const args = ["--push", gw.url, "--push-job", "shards", "--shard", shard];
            const labels = ["--label", "org=acme", "--label", "team=a"];
            const code = await runCli(
              ["scan", ...demo, ...args, ...labels, "--push-label", "team=b"],
              quietIo(errors),
            );
            assert.equal(code, 0, errors.join("\n"));
          }
          const lines = await gatewayMetrics(gw.url);
          const scanned = lines.filter((l) =>
            l.startsWith("resources_scanned_total{") && l.includes('job="shards"')
          );
          // Both groups kept: 2 accounts x 2 regions, each once, under its shard.
          assert.equal(scanned.length, 4, lines.join("\n"));
          for (const [account, shard] of [["staging", "1/4"], ["production", "3/4"]]) {
            const of = scanned.filter((l) => l.includes(`account_name="${account}"`));
            assert.equal(of.length, 2, scanned.join("\n"));
            for (const l of of) {
              assert.ok(l.includes(`shard="${shard}"`), l);
              assert.ok(l.includes('org="acme"'), l);
              // The group's team="b" wins: the body leaves its team out (the gateway would overwrite it).
              assert.ok(l.includes('team="b"') && !l.includes('team="a"'), l);
            }
          }
        },
      );

      await t.step("scan --push with a bad label exits 2 before scanning", async () => {
        const errors: string[] = [];
        const code = await runCli(
          ["scan", ...demo, "--push", gw.url, "--push-label", "bad"],
          quietIo(errors),
        );
        assert.equal(code, 2);
        assert.deepEqual(errors.length, 1);
        assert.match(errors[0], /^error: --push-label "bad" is not NAME=VALUE/);
      });

      await t.step("a push to a stopped gateway throws one line naming the URL", async () => {
        await gw.stop();
        await assert.rejects(
          pushMetrics(gw.url, "aws_tag_compliance", {}, [BODY]),
          (e: Error) => {
            assert.match(
              e.message,
              /^push to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/aws_tag_compliance failed: .*Connection refused/,
            );
            assert.ok(!e.message.includes("\n"), e.message);
            return true;
          },
        );
      });
      await t.step("scan --push to a stopped gateway exits 1 with one line", async () => {
        const errors: string[] = [];
        const out = await Deno.makeTempFile({ suffix: ".prom" });
        const code = await runCli(
          ["scan", ...demo, "--push", gw.url, "--output", out],
          quietIo(errors),
        );
        // The file is written before the push, so a failed push does not lose it.
        const written = await Deno.readTextFile(out);
        await Deno.remove(out);
        assert.ok(written.includes("resources_scanned_total{"), written.slice(0, 200));
        assert.equal(code, 1);
        assert.equal(errors.length, 1);
        assert.match(
          errors[0],
          /^error: push to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/aws_tag_compliance failed: /,
        );
      });
    } finally {
      await gw.stop();
    }
  },
});
