/**
 * docs/serve.md against the code it documents: the rescan signal,
 * the /health bodies and the files the serve task may read.
 */
import assert from "node:assert/strict";
import { healthOf } from "../src/serve/health.ts";
import { serveSignals } from "../src/serve/signals.ts";
import { taskFlags } from "./helpers/run_cli.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const SERVE = await Deno.readTextFile(new URL("../docs/serve.md", import.meta.url));

Deno.test("docs/serve.md names SIGHUP for a reload and warns that SIGUSR1 opens the inspector", () => {
  assert.equal(serveSignals("linux").rescan, "SIGHUP");
  const text = SERVE.replace(/\s+/g, " ");
  assert.ok(text.includes("`kill -HUP <pid>` re-reads the config and starts a scan now"), SERVE);
  assert.ok(SERVE.includes("\n## Config reload\n"));
  assert.ok(!SERVE.includes("kill -USR1"));
  assert.match(SERVE.replace(/\s+/g, " "), /Never send SIGUSR1: .*inspector/);
});

Deno.test("docs/serve.md's /health row shows the bodies /health sends", async () => {
  const a = app();
  const row = SERVE.split("\n").find((l) => l.startsWith("| `/health`"))!;
  assert.ok(row.includes("`" + JSON.stringify(healthOf(a.refresher)) + "`"), row);
  a.scans.queue.push(result([target("us-east-1", [])]));
  await a.refresher.refresh("test");
  assert.ok(row.includes("`" + JSON.stringify(healthOf(a.refresher)) + "`"), row);
});

Deno.test("docs/serve.md's introduction names every path the serve task may read", async () => {
  const allow = (await taskFlags("serve")).find((f) => f.startsWith("--allow-read="))!;
  const home = Deno.env.get("HOME") ?? "";
  const intro = SERVE.slice(0, SERVE.indexOf("| endpoint")).replace(/\s+/g, " ");
  for (const path of allow.slice("--allow-read=".length).split(",")) {
    const shown = home !== "" && path.startsWith(home + "/") ? "~" + path.slice(home.length) : path;
    assert.ok(intro.includes("`" + shown + "`"), `the serve intro does not name ${shown}`);
  }
});
