import assert from "node:assert/strict";
import { processIo } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import { DEMO_ARGS, runDemoScan } from "./helpers/demo.ts";
import { parsePushLabel, pushMetrics, pushUrl } from "../src/output/push.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";

// ---------------------------------------------------------------- pushUrl()

const urls: Array<[string, string, Record<string, string>, string]> = [
  ["http://pg:9091", "scan", {}, "http://pg:9091/metrics/job/scan"],
  ["http://pg:9091/", "scan", {}, "http://pg:9091/metrics/job/scan"],
  ["https://pg.example/prefix/", "scan", {}, "https://pg.example/prefix/metrics/job/scan"],
  [
    "http://pg:9091",
    "scan",
    { shard: "0", env: "prod" },
    "http://pg:9091/metrics/job/scan/shard/0/env/prod",
  ],
  ["http://pg:9091", "scan", { team: "a/b" }, "http://pg:9091/metrics/job/scan/team@base64/YS9i"],
  ["http://pg:9091", "scan", { team: "" }, "http://pg:9091/metrics/job/scan/team@base64/="],
  ["http://pg:9091", "a/b", {}, "http://pg:9091/metrics/job@base64/YS9i"],
  ["http://pg:9091", "scan", { v: "a b?#%" }, "http://pg:9091/metrics/job/scan/v/a%20b%3F%23%25"],
  // base64url, not base64: "?>?" is "Pz4/" in base64
  ["http://pg:9091", "scan", { v: "?>?/" }, "http://pg:9091/metrics/job/scan/v@base64/Pz4_Lw=="],
  ["http://u:p@pg:9091", "scan", {}, "http://pg:9091/metrics/job/scan"],
];

for (const [base, job, labels, want] of urls) {
  Deno.test(`pushUrl() builds ${want}`, () => {
    assert.equal(pushUrl(base, job, labels), want);
  });
}

const badUrls: Array<[string, string, Record<string, string>, string]> = [
  ["pg:9091", "scan", {}, "must be http:// or https://"],
  ["not a url", "scan", {}, "is not a URL"],
  ["ftp://pg", "scan", {}, "must be http:// or https://"],
  ["http://pg:9091/?x=1", "scan", {}, "must not have a query"],
  ["http://pg:9091", "", {}, "job name is empty"],
  ["http://pg:9091/metrics/job/x", "scan", {}, "must be the gateway's base URL"],
  ["http://pg:9091", "scan", { "1bad": "x" }, "is not a Prometheus label name"],
  ["http://pg:9091", "scan", { "__name__": "x" }, "is not a Prometheus label name"],
  ["http://pg:9091", "scan", { job: "x" }, "clashes with the job name"],
];

for (const [base, job, labels, message] of badUrls) {
  Deno.test(`pushUrl() rejects ${JSON.stringify([base, job, labels])}`, () => {
    assert.throws(() => pushUrl(base, job, labels), (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.ok(e.message.includes(message), e.message);
      return true;
    });
  });
}

Deno.test("parsePushLabel() splits at the first = and allows an empty value", () => {
  assert.deepEqual(parsePushLabel("shard=0"), ["shard", "0"]);
  assert.deepEqual(parsePushLabel("q=a=b"), ["q", "a=b"]);
  assert.deepEqual(parsePushLabel("empty="), ["empty", ""]);
  for (const bad of ["shard", "=0", "1x=0", "job=x", "__x=1", "a-b=1"]) {
    assert.throws(() => parsePushLabel(bad), /is not NAME=VALUE/, bad);
  }
});

// ------------------------------------------------- against a real Pushgateway

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

const BODY = `# HELP tag_compliant_total Resources compliant with required tag
# TYPE tag_compliant_total gauge
tag_compliant_total{account_id="123456789012",region="us-east-1",tag="owner"} 5
tag_compliant_total{account_id="123456789012",region="eu-west-1",tag="owner"} 7
`;

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

Deno.test("pushMetrics() gives up after timeoutMs with a clear message", async () => {
  // A server that accepts the request and never answers.
  const ac = new AbortController();
  let release!: () => void;
  const hold = new Promise<void>((r) => release = r);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    async () => {
      await hold;
      return new Response("late");
    },
  );
  try {
    await assert.rejects(
      pushMetrics(`http://127.0.0.1:${server.addr.port}`, "j", {}, [BODY], { timeoutMs: 200 }),
      /failed: timed out after 0\.2s$/,
    );
  } finally {
    release();
    ac.abort();
    await server.finished;
  }
});

Deno.test("pushMetrics() sends credentials from the URL as basic auth, not in the URL", async () => {
  const ac = new AbortController();
  let seen: { auth: string | null; url: string; method: string; type: string | null } | null = null;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    async (req) => {
      await req.text();
      seen = {
        auth: req.headers.get("authorization"),
        url: new URL(req.url).pathname,
        method: req.method,
        type: req.headers.get("content-type"),
      };
      return new Response(null, { status: 200 });
    },
  );
  try {
    await pushMetrics(`http://user:p%40ss@127.0.0.1:${server.addr.port}`, "j", { a: "1" }, [BODY]);
    assert.deepEqual(seen, {
      auth: `Basic ${btoa("user:p@ss")}`,
      url: "/metrics/job/j/a/1",
      method: "PUT",
      type: "text/plain; version=0.0.4; charset=utf-8",
    });
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("pushUrl() never repeats credentials from the URL in its errors", () => {
  assert.throws(() => pushUrl("http://user:hunter2@gw:9091/?x=1", "scan"), (e: Error) => {
    assert.ok(!e.message.includes("hunter2"), e.message);
    assert.ok(e.message.includes('"http://***@gw:9091/?x=1"'), e.message);
    return true;
  });
});

Deno.test("pushUrl() never echoes a user name or password, even when the URL does not parse", () => {
  const cases: [string, string][] = [
    ["http://admin:Push/Passw0rd@pg:9091", '"http://***@pg:9091"'],
    ["http://admin:12/Passw0rd@pg:9091", '"http://***@pg:9091"'],
    ["http://admin:Pa@ss/w0rd@pg:9091", '"http://***@pg:9091"'],
    ["admin:Passw0rd@pg:9091", '"***@pg:9091"'],
    ["ftp://admin:Passw0rd@pg", '"ftp://***@pg"'],
  ];
  for (const [url, shown] of cases) {
    assert.throws(() => pushUrl(url, "scan"), (e: Error) => {
      assert.ok(e instanceof TypeError, String(e));
      for (const secret of ["admin", "Passw0rd", "Push", "Pa@ss", "w0rd"]) {
        assert.ok(!e.message.includes(secret), `${secret} in ${e.message}`);
      }
      assert.ok(e.message.includes(shown), e.message);
      return true;
    });
  }
});

Deno.test("scan --push with a password that breaks the URL exits 2 in one line without it", async () => {
  const stderr: string[] = [];
  const io = { ...processIo(), stderr: (line: string) => stderr.push(line) };
  const args = ["scan", "-q", ...DEMO_ARGS, "--push", "http://admin:Push/Passw0rd@pg:9091"];
  assert.equal(await runCli(args, io), 2);
  assert.equal(stderr.length, 1, stderr.join("\n"));
  assert.ok(!/Passw0rd|admin|Push\//.test(stderr[0]), stderr[0]);
});
