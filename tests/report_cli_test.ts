/** `report` in-process via runCli with a captured Io: summary line, terminal format, --help. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import type { Io } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import type { TerminalAwareIo } from "../src/cli/report_command.ts";
import { silentLogger } from "../src/log.ts";
import type { ScanResult } from "../src/model.ts";
import { summaryLine } from "../src/cli/summary.ts";
import { parseSnapshot } from "../src/snapshot.ts";
import { ROOT, SNAPSHOT } from "./helpers/report_cli_fixture.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

/** An Io that captures stdout and stderr, with a fixed environment and terminal flag. */
function memoryIo(env: Record<string, string> = {}, terminal = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: TerminalAwareIo = {
    stdout: async (chunks) => {
      for await (const c of chunks) out.push(c);
    },
    stdoutText: (t) => out.push(t),
    stderr: (line) => err.push(line),
    logger: () => silentLogger,
    progress: () => undefined,
    awsSource: () => Promise.reject(new Error("no AWS in this test")),
    env: (name) => env[name],
    stdoutIsTerminal: () => terminal,
  };
  return { io: io as Io, out, err };
}

Deno.test("summaryLine() (after a live report) counts in the singular when there is one", () => {
  const snap = parseSnapshot(Deno.readTextFileSync(join(ROOT, SNAPSHOT)), SNAPSHOT);
  const one = (edit: (t: ScanResult["targets"][number]) => object): ScanResult => ({
    ...snap,
    durationSeconds: 0.25,
    targets: [{ ...snap.targets[0], ...edit(snap.targets[0]) }],
  });
  const cases: [ScanResult, string][] = [
    [
      { ...snap, durationSeconds: 0.25 },
      "scanned 7 resources (1 excluded) in 4 targets across 3 accounts in 0.25s: " +
      "42.9% fully compliant; 1 of 4 targets FAILED",
    ],
    [
      one((t) => ({ counts: { ...t.counts!, scanned: 1, fullyCompliant: 1 } })),
      "scanned 1 resource (1 excluded) in 1 target across 1 account in 0.25s: " +
      "100.0% fully compliant",
    ],
    [
      one(() => ({ ok: false, counts: null })),
      "scanned 0 resources (0 excluded) in 1 target across 1 account in 0.25s: " +
      "no resources; ALL 1 target FAILED",
    ],
  ];
  for (const [result, line] of cases) strictEqual(summaryLine(result), line);
});

Deno.test("report on a terminal defaults to a coloured table, and NO_COLOR turns colour off", async () => {
  const tty = memoryIo({}, true);
  strictEqual(await runCli(["report", "--input", SNAPSHOT, "--quiet"], tty.io), 3);
  const table = tty.out.join("");
  ok(table.startsWith("\x1b[1mTag compliance report\x1b[0m\n"), JSON.stringify(table.slice(0, 40)));
  const plain = memoryIo({ NO_COLOR: "1" }, true);
  strictEqual(await runCli(["report", "--input", SNAPSHOT, "--quiet"], plain.io), 3);
  // SGR colour codes are the one escape sequence the table may contain.
  // deno-lint-ignore no-control-regex
  strictEqual(plain.out.join(""), table.replace(/\x1b\[\d+m/g, ""));
  deepStrictEqual([tty.err, plain.err], [[], []]);
});

Deno.test("report --output on a terminal defaults to markdown without colour", async () => {
  await withTempDir(async (dir) => {
    const output = join(dir, "r.md");
    const { io, out } = memoryIo({}, true);
    strictEqual(await runCli(["report", "--input", SNAPSHOT, "--output", output, "-q"], io), 3);
    deepStrictEqual(out, []);
    ok((await Deno.readTextFile(output)).startsWith("## Tag compliance report\n"));
  });
});

Deno.test("report --help documents the formats and exit codes", async () => {
  const { io, out } = memoryIo();
  strictEqual(await runCli(["report", "--help"], io), 0);
  const help = out.join("");
  for (
    const s of [
      "--fail-under-tag <tag=pct>",
      "--baseline <file>",
      "junit",
      "github",
      "4 wins over 3",
      "5  every account-region failed",
    ]
  ) {
    ok(help.includes(s), s);
  }
});
