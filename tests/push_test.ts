/** The push client without a gateway: pushUrl(), parsePushLabel(), credentials, timeouts. */
import assert from "node:assert/strict";
import { processIo } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import { DEMO_ARGS } from "./helpers/demo.ts";
import { parsePushLabel, pushMetrics, pushUrl } from "../src/output/push.ts";
import { BODY } from "./helpers/push_fixture.ts";

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
  Deno.test(`pushUrl(${base}, ${job}, ${JSON.stringify(labels)}) builds ${want}`, () => {
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
