/** Asking serve for a reload: POST /-/reload in the handler and runServe, and ScanTriggers' rescans. */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { createLogger } from "../src/log.ts";
import { ScanTriggers } from "../src/serve/scan_triggers.ts";
import { intervalSchedule } from "../src/serve/schedule.ts";
import { runServe } from "../src/serve/server.ts";
import { silent } from "./helpers/serve_reload_fixture.ts";
import { until } from "./helpers/serve_process.ts";
import { app, result, ScriptedScans, target } from "./testdata/serve/fixtures.ts";
import { serveOptions } from "./helpers/serve_options.ts";

Deno.test("POST /-/reload runs the reload: 200 on success, 500 with the reason, POST only", async () => {
  const outcomes = [{ ok: true as const }, { ok: false as const, error: "config.yaml:3: bad" }];
  let calls = 0;
  const a = app({ reload: () => Promise.resolve(outcomes[calls++]) });
  const ok = await a.get("/-/reload", { method: "POST" });
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "config reloaded\n");
  const failed = await a.get("/-/reload", { method: "POST" });
  assert.equal(failed.status, 500);
  assert.equal(await failed.text(), "config not reloaded: config.yaml:3: bad\n");
  for (const method of ["GET", "HEAD", "PUT", "DELETE"]) {
    const res = await a.get("/-/reload", { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get("allow"), "POST");
    await res.body?.cancel();
  }
  assert.equal(calls, 2, "only the POSTs reloaded");
  // /metrics stays GET and HEAD only.
  const post = await a.get("/metrics", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
});

Deno.test("/-/reload is 404 without --web.enable-lifecycle, and behind basic auth when it is on", async () => {
  const plain = app();
  const missing = await plain.get("/-/reload", { method: "POST" });
  assert.equal(missing.status, 404);
  assert.doesNotMatch(await missing.text(), /reload/);
  let calls = 0;
  const users = new Map([["ops", bcrypt.hashSync("s3cret", 4)]]);
  const a = app({ users, reload: () => (calls++, Promise.resolve({ ok: true as const })) });
  const denied = await a.get("/-/reload", { method: "POST" });
  assert.equal(denied.status, 401);
  await denied.body?.cancel();
  assert.equal(calls, 0);
  const ok = await a.get("/-/reload", {
    method: "POST",
    headers: { authorization: "Basic " + btoa("ops:s3cret") },
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(calls, 1);
});

Deno.test("runServe(): a reload through POST /-/reload scans, shows the new schedule and sets the gauges", async () => {
  const scans = new ScriptedScans();
  scans.queue.push(result([target("us-east-1", [])]), result([target("us-east-1", [])]));
  const outcomes = [
    { ok: true as const, schedule: intervalSchedule(600) },
    { ok: false as const, error: "config.yaml:1: broken" },
  ];
  let reloads = 0;
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const lines: string[] = [];
  const done = runServe(serveOptions(scans, {
    schedule: intervalSchedule(300),
    reload: () => Promise.resolve(outcomes[reloads++]),
    lifecycle: true,
    stop: stop.signal,
    log: createLogger({ format: "logfmt", write: (l) => lines.push(l) }),
    onListen: (addr) => listening.resolve(addr.port),
  }));
  const base = `http://127.0.0.1:${await listening.promise}`;
  const json = async (path: string) => await (await fetch(base + path)).json();
  try {
    for (; (await json("/")).scans.completed < 1;) await new Promise((r) => setTimeout(r, 20));
    const ok = await fetch(`${base}/-/reload`, { method: "POST" });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    for (; (await json("/")).scans.completed < 2;) await new Promise((r) => setTimeout(r, 20));
    assert.equal((await json("/")).config.schedule, "every 10 minutes");
    const failed = await fetch(`${base}/-/reload`, { method: "POST" });
    assert.equal(failed.status, 500);
    assert.equal(await failed.text(), "config not reloaded: config.yaml:1: broken\n");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^aws_tag_exporter_config_last_reload_successful 0$/m);
    assert.equal((await json("/")).scans.completed, 2, "a failed POST reload does not scan");
    assert.equal(scans.calls, 2);
    const failure = lines.filter((l) => l.includes("config reload failed"));
    assert.equal(failure.length, 1);
    assert.match(
      failure[0],
      /level=error msg="config reload failed; keeping the previous config" error=/,
    );
    assert.ok(lines.some((l) => l.includes('msg="scan started" reason=reload')));
  } finally {
    stop.abort();
    assert.equal(await done, 0);
  }
});

Deno.test("ScanTriggers: requests during a running scan make one scan after it, none after stop", async () => {
  const a = app();
  const triggers = new ScanTriggers(a.refresher, intervalSchedule(300), a.clock.now, silent);
  try {
    a.scans.queue.push("block", result([target("us-east-1", [])]), "block");
    triggers.rescan("signal");
    assert.notEqual(a.refresher.runningSince, null);
    triggers.rescan("reload");
    triggers.rescan("signal");
    a.scans.release();
    await a.refresher.idle();
    await until("the waiting scan", () => Promise.resolve(a.scans.calls === 2 || undefined));
    await a.refresher.idle();
    assert.equal(a.refresher.counts.completed, 2);
    assert.equal(a.refresher.counts.skipped, 0, "waited, not skipped");
    // A third scan runs; a request waits for it, then stop: it never starts.
    triggers.rescan("signal");
    triggers.rescan("signal");
    triggers.stop();
    a.scans.release();
    await a.refresher.idle();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(a.scans.calls, 3);
  } finally {
    triggers.stop();
  }
});

Deno.test("ScanTriggers: a new schedule is shown at once", () => {
  const a = app();
  const triggers = new ScanTriggers(a.refresher, intervalSchedule(300), a.clock.now, silent);
  try {
    triggers.setSchedule(intervalSchedule(420));
    assert.equal(triggers.schedule.description, "every 7 minutes");
    assert.equal(triggers.schedule.cron, "* * * * *");
    triggers.setSchedule(intervalSchedule(3600));
    assert.equal(triggers.schedule.cron, "0 * * * *");
  } finally {
    triggers.stop();
  }
});
