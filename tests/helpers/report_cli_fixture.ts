/**
 * `report` as a subprocess with `deno task report`'s permissions, and the
 * snapshot fixture the report CLI tests read.
 */
import { join } from "node:path";
import { DENO_DIR } from "./deno_dir.ts";
import { taskFlags } from "./run_cli.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const SNAPSHOT = "tests/testdata/report/snapshot.json";
const REPORT_FLAGS = await taskFlags("report");
const decoder = new TextDecoder();

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main.ts in a subprocess with a clean environment (no inherited GITHUB_* or AWS_*). */
export async function subprocess(
  args: string[],
  env: Record<string, string> = {},
  flags: string[] = REPORT_FLAGS,
): Promise<Run> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", "--cached-only", ...flags, join(ROOT, "main.ts"), ...args],
    cwd: ROOT,
    clearEnv: true,
    env: { DENO_DIR, NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}
