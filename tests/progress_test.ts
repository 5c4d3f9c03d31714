/**
 * The progress line and the lines written while it shows: each log or human
 * line clears the progress line first and draws it again after itself.
 * Checked with an injected writer, and once under a real pseudo-terminal
 * (util-linux `script`), reading the screen as a terminal would draw it.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { processIo } from "../src/cli/io.ts";
import { progressDisplay } from "../src/cli/progress.ts";
import { StatusLine } from "../src/cli/status_line.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";
import { logfmtRecord } from "./helpers/logfmt.ts";
import { taskFlags } from "./helpers/run_cli.ts";

const CLEAR = "\r\x1b[2K";
const at = () => new Date("2026-01-02T03:04:05.000Z");

Deno.test("progressDisplay() shows targets, resources, rate and ETA, then clears itself", () => {
  const out: string[] = [];
  let t = 0;
  const show = progressDisplay(4, new StatusLine((s) => out.push(s)), () => t);
  t = 2000;
  show({ targetsTotal: 4, targetsDone: 1, targetsFailed: 1, resources: 5000 });
  t = 2050; // within 100 ms: not redrawn
  show({ targetsTotal: 4, targetsDone: 2, targetsFailed: 1, resources: 6000 });
  t = 4000;
  show({ targetsTotal: 4, targetsDone: 4, targetsFailed: 1, resources: 9000 });
  deepStrictEqual(out, [
    `${CLEAR}[1/4 targets, 1 failed] 5,000 resources read, 2,500/s, ETA 6s`,
    CLEAR,
  ]);
});

Deno.test("a log line clears the progress line and draws it again below itself, in one write", () => {
  const out: string[] = [];
  const status = new StatusLine((s) => out.push(s));
  const io = processIo(status);
  const log = io.logger({ config: "c", logLevel: "info", logFormat: "logfmt", quiet: false });
  let t = 0;
  const progress = progressDisplay(2, status, () => t);
  log.info("before any progress");
  t = 1000;
  progress({ targetsTotal: 2, targetsDone: 0, targetsFailed: 0, resources: 10 });
  const bar = "[0/2 targets] 10 resources read, 10/s, ETA ?";
  log.error("target failed", { region: "us-east-1" });
  io.stderr("a human line");
  t = 2000;
  progress({ targetsTotal: 2, targetsDone: 2, targetsFailed: 1, resources: 10 });
  io.stderr("scanned 10 resources");
  const line = (msg: string) => `ts=${at().toISOString()} level=info msg="${msg}"\n`;
  deepStrictEqual(out.map((s) => s.replace(/ts=\S+/g, "ts=" + at().toISOString())), [
    line("before any progress"),
    `${CLEAR}${bar}`,
    `${CLEAR}ts=${at().toISOString()} level=error msg="target failed" region=us-east-1\n${bar}`,
    `${CLEAR}a human line\n${bar}`,
    CLEAR,
    "scanned 10 resources\n",
  ]);
});

Deno.test("the status line is cut to the terminal's width, so clearing it clears all of it", () => {
  const out: string[] = [];
  let width: number | null = 10;
  const status = new StatusLine((s) => out.push(s), () => width);
  status.show("0123456789abc");
  status.print("x\n");
  width = null;
  status.show("0123456789abc");
  status.show("");
  status.show(""); // nothing shown: nothing written
  deepStrictEqual(out, [
    `${CLEAR}012345678`,
    `${CLEAR}x\n012345678`,
    `${CLEAR}0123456789abc`,
    CLEAR,
  ]);
});

/**
 * What a terminal shows after `bytes`: carriage return, erase line (CSI 2K),
 * newline, and text overwriting at the cursor.
 */
function screen(bytes: string): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  for (let i = 0; i < bytes.length; i++) {
    const row = lines[lines.length - 1];
    if (bytes.startsWith("\x1b[2K", i)) {
      row.length = 0;
      i += 3;
    } else if (bytes[i] === "\r") col = 0;
    else if (bytes[i] === "\n") {
      lines.push([]);
      col = 0;
    } else {
      ok(
        bytes[i] !== "\x1b",
        `unexpected escape at ${i}: ${JSON.stringify(bytes.slice(i, i + 8))}`,
      );
      while (row.length < col) row.push(" ");
      row[col++] = bytes[i];
    }
  }
  return lines.map((l) => l.join("")).filter((l) => l !== "");
}

const script = findPeer("script", "apt-get install bsdutils (util-linux's script)");

Deno.test({
  name: "under a pseudo-terminal, log lines and the progress line never share a line",
  ...peerTest(script),
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "c.yaml");
    // With one target at a time, the second (not in the inventory) fails
    // while the progress line of the first is on the screen.
    await Deno.writeTextFile(
      config,
      'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n' +
        '  - account_id: "111111111111"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n',
    );
    const argv = [
      Deno.execPath(),
      "run",
      "--frozen",
      "--cached-only",
      // A terminal makes Deno prompt for a missing permission: fail instead of waiting.
      "--no-prompt",
      ...await taskFlags("scan"),
      "main.ts",
      "scan",
      "--config",
      config,
      "--inventory",
      "examples/demo/inventory",
      "--concurrency",
      "1",
      "--log-level",
      "debug",
      "--output",
      join(dir, "x.prom"),
    ];
    const command = argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(requirePeer(script), {
        args: ["-qec", command, "/dev/null"],
        env: { NO_COLOR: "1", TERM: "xterm" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal: controller.signal,
      }).output();
    } finally {
      clearTimeout(timer);
    }
    const bytes = new TextDecoder().decode(out.stdout);
    strictEqual(out.code, 3, bytes + new TextDecoder().decode(out.stderr));
    // The progress line was drawn, and a log line came while it showed.
    ok(bytes.includes(`${CLEAR}[1/2 targets]`) || bytes.includes(`${CLEAR}[0/2 targets]`), bytes);
    // The failure's log line came while the progress line showed, and cleared it first.
    const at = bytes.search(/ts=\S+ level=error msg="target failed"/);
    ok(at > 0 && bytes.slice(0, at).endsWith(CLEAR), bytes);
    ok(/ETA (\?|\d+s)$/.test(bytes.slice(0, at - CLEAR.length)), bytes);
    const lines = screen(bytes);
    strictEqual(lines.at(-1), lines.find((l) => l.startsWith("scanned ")), lines.join("\n"));
    ok(lines.at(-1)!.endsWith("1 of 2 targets FAILED"), lines.join("\n"));
    const records = lines.slice(0, -1).map(logfmtRecord);
    ok(records.some((r) => r.msg === "target failed" && r.account_id === "111111111111"));
    ok(records.every((r) => !Object.values(r).some((v) => v.includes("ETA"))), lines.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
