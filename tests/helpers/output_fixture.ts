/** `scan` and `report` of the demo with --output, and what the --output tests check after. */
import { strictEqual } from "node:assert/strict";
import { DEMO, scanFlags } from "./cli_fixture.ts";
import { runCli, taskFlags } from "./run_cli.ts";

export { DEMO, scanFlags };
export const reportFlags = await taskFlags("report");
export const POSIX = { ignore: Deno.build.os === "windows" };

export function scanTo(out: string) {
  return runCli(scanFlags, ["scan", ...DEMO, "--output", out]);
}

export function reportTo(out: string) {
  return runCli(reportFlags, ["report", ...DEMO, "--format", "markdown", "--output", out]);
}

export function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

export function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  strictEqual(lines.length, 1, stderr);
  return lines[0];
}
