import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { createLogger } from "../src/log.ts";
import { progressDisplay } from "../src/cli/progress.ts";

const at = () => new Date("2026-01-02T03:04:05.000Z");

Deno.test("createLogger() writes JSON lines with fields and redacts secret-looking fields", () => {
  const lines: string[] = [];
  const log = createLogger({ format: "json", write: (l) => lines.push(l), now: at });
  log.info("target failed", {
    account_id: "123456789012",
    session_token: "IQoJb3",
    secretAccessKey: "abc",
    n: 3,
  });
  strictEqual(lines.length, 1);
  ok(lines[0].endsWith("\n"));
  deepStrictEqual(JSON.parse(lines[0]), {
    time: "2026-01-02T03:04:05.000Z",
    level: "info",
    msg: "target failed",
    account_id: "123456789012",
    session_token: "[redacted]",
    secretAccessKey: "[redacted]",
    n: 3,
  });
});

Deno.test("createLogger() writes text lines, quotes values with spaces and honours the level", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l), now: at });
  log.info("hidden");
  log.warn("restarting target", { region: "eu-west-1", reason: "token expired" });
  deepStrictEqual(lines, [
    '2026-01-02T03:04:05.000Z WARN  restarting target region=eu-west-1 reason="token expired"\n',
  ]);
});

Deno.test("progressDisplay() shows targets, resources, rate and ETA, then clears itself", () => {
  const out: string[] = [];
  let t = 0;
  const show = progressDisplay(4, (s) => out.push(s), () => t);
  t = 2000;
  show({ targetsTotal: 4, targetsDone: 1, targetsFailed: 1, resources: 5000 });
  t = 2050; // within 100 ms: not redrawn
  show({ targetsTotal: 4, targetsDone: 2, targetsFailed: 1, resources: 6000 });
  t = 4000;
  show({ targetsTotal: 4, targetsDone: 4, targetsFailed: 1, resources: 9000 });
  deepStrictEqual(out, [
    "\r\x1b[2K[1/4 targets, 1 failed] 5,000 resources read, 2,500/s, ETA 6s",
    "\r\x1b[2K",
  ]);
});
