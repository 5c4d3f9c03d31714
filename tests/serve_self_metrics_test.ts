/**
 * serve's own metrics before and after the first scan: build info at once,
 * the last-success time only once a scan succeeded, the standard process
 * metrics, and the config-reload pair, in both exposition formats.
 */
import assert from "node:assert/strict";
import process from "node:process";
import { HELP, M } from "../src/metrics/names.ts";
import { PROCESS } from "../src/serve/process_metrics.ts";
import { SELF } from "../src/serve/self_metrics.ts";
import { VERSION } from "../src/version.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const I1 = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
const OM = { accept: "application/openmetrics-text;version=1.0.0" };

/** The value of the one sample of family `name` without labels, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(name + " "));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern, "gm"))?.length ?? 0;
}

Deno.test("before the first scan /metrics has build info and no last-success time", async () => {
  const a = app();
  const text = await (await a.get("/metrics")).text();
  assert.ok(text.includes(`# HELP ${M.buildInfo} ${HELP[M.buildInfo]}\n`), text);
  assert.equal(count(text, new RegExp(`^${M.buildInfo}\\{version="${VERSION}"\\} 1$`)), 1);
  assert.ok(!text.includes(SELF.lastSuccess), "absent, not 0, until a scan succeeds");
  assert.deepEqual(await promtoolProblems(text), []);
  const om = await (await a.get("/metrics", { headers: OM })).text();
  assert.equal(count(om, new RegExp(`^${M.buildInfo}\\{version="${VERSION}"\\} 1$`)), 1);
  assert.ok(!om.includes(SELF.lastSuccess));
});

Deno.test("the last-success time appears with the first successful scan; build info stays single", async () => {
  const a = app();
  a.scans.queue.push(new Error("AWS is down"));
  await a.refresher.refresh("test");
  a.scans.queue.push(
    result([target("us-east-1", [I1]), target("eu-west-1", [], { code: "X", message: "no" })]),
  );
  assert.equal(await a.refresher.refresh("test"), "partial");
  const partial = await (await a.get("/metrics")).text();
  assert.ok(!partial.includes(SELF.lastSuccess), "a partial scan is no success");
  assert.equal(count(partial, new RegExp(`^${M.buildInfo}\\{`)), 1, "from the snapshot only");
  a.scans.queue.push(result([target("us-east-1", [I1])], "2030-01-01T00:05:00.000Z"));
  assert.equal(await a.refresher.refresh("test"), "success");
  for (const headers of [{}, OM]) {
    const text = await (await a.get("/metrics", { headers })).text();
    // 2030-01-01T00:05:00Z, worked out by hand: 1893456000 + 300.
    assert.equal(sample(text, SELF.lastSuccess), 1893456300);
    assert.equal(count(text, new RegExp(`^# TYPE ${M.buildInfo} `)), 1);
    assert.equal(count(text, new RegExp(`^${M.buildInfo}\\{`)), 1);
  }
  assert.deepEqual(await promtoolProblems(await (await a.get("/metrics")).text()), []);
});

Deno.test("process metrics: CPU, resident memory and start time, read at each scrape", async () => {
  const a = app();
  const before = Date.now() / 1000;
  const first = await (await a.get("/metrics")).text();
  assert.match(first, /# TYPE process_cpu_seconds_total counter\n/);
  assert.match(first, /# TYPE process_resident_memory_bytes gauge\n/);
  const rss = sample(first, PROCESS.rss)!;
  assert.ok(rss > 10 * 2 ** 20 && rss < 16 * 2 ** 30, `rss ${rss}`);
  const start = sample(first, PROCESS.start)!;
  assert.ok(start <= before && start > before - 3600, `start ${start}, now ${before}`);
  // The counter is the process's user + system CPU time, bracketed by readings around a scrape.
  const seconds = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const low = seconds();
  const second = await (await a.get("/metrics")).text();
  const high = seconds();
  const cpu = sample(second, PROCESS.cpu)!;
  assert.ok(low <= cpu && cpu <= high, `${low} <= ${cpu} <= ${high}`);
  assert.ok(cpu >= sample(first, PROCESS.cpu)!);
  assert.equal(sample(second, PROCESS.start), start);
  const om = await (await a.get("/metrics", { headers: OM })).text();
  assert.match(om, /# TYPE process_cpu_seconds counter\nprocess_cpu_seconds_total \d/);
});

Deno.test("process_open_fds is exported only when Deno lets serve list /proc/self/fd", async () => {
  const a = app();
  const text = await (await a.get("/metrics")).text();
  // The test task does not run with --allow-all, which Deno 2.9 requires for /proc/self/fd.
  assert.ok(!text.includes(PROCESS.fds), "absent without --allow-all");
  if (Deno.build.os !== "linux") return;
  const probe = new URL("../src/serve/process_metrics.ts", import.meta.url).href;
  const code = `const { openFdCounter } = await import(${JSON.stringify(probe)});\n` +
    "const c = openFdCounter(); console.log(c === null ? 'none' : String(c()));";
  const run = async (flags: string[]) => {
    // `deno run -`, not `deno eval`, which grants every permission.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...flags, "-"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(code));
    await writer.close();
    const out = await child.output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stdout).trim();
  };
  assert.equal(await run(["--allow-read"]), "none", "--allow-read is not enough");
  const fds = Number(await run(["--allow-all"]));
  assert.ok(Number.isInteger(fds) && fds >= 3, `open fds with --allow-all: ${fds}`);
});

Deno.test("config reload metrics start at success, at the start time, and follow reloads", async () => {
  const a = app();
  const start = a.clock.now / 1000;
  let text = await (await a.get("/metrics")).text();
  assert.equal(sample(text, SELF.reloadOk), 1);
  assert.equal(sample(text, SELF.reloadTime), start);
  a.self.reloaded(false, a.clock.now + 60_000);
  text = await (await a.get("/metrics")).text();
  assert.equal(sample(text, SELF.reloadOk), 0);
  assert.equal(sample(text, SELF.reloadTime), start, "a failure keeps the last success time");
  a.self.reloaded(true, a.clock.now + 120_000);
  text = await (await a.get("/metrics")).text();
  assert.equal(sample(text, SELF.reloadOk), 1);
  assert.equal(sample(text, SELF.reloadTime), start + 120);
});
