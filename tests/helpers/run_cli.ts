import { DENO_DIR } from "./deno_dir.ts";

/** The result of running the program as a subprocess. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main.ts` in a subprocess with the given Deno permission flags (the
 * same ones deno.json's tasks use, so the tests prove they suffice).
 */
export async function runCli(
  permissions: readonly string[],
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string; stdin?: string; signal?: AbortSignal } = {},
): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--frozen",
      "--cached-only",
      ...permissions,
      new URL("../../main.ts", import.meta.url).pathname,
      ...args,
    ],
    env: { NO_COLOR: "1", DENO_DIR, ...opts.env },
    cwd: opts.cwd ?? new URL("../../", import.meta.url).pathname,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: opts.signal,
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Permission and V8 flags of `deno task <task>` (kept in sync with deno.json by tests/tasks_test.ts). */
export async function taskFlags(task: string): Promise<string[]> {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const cmd: string = denoJson.tasks[task];
  const words = cmd.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ""));
  return words.filter((w) =>
    w.startsWith("--allow-") || w.startsWith("--ignore-") || w.startsWith("--deny-") ||
    w.startsWith("--v8-flags=")
  )
    .map((w) => w.replaceAll("$HOME", Deno.env.get("HOME") ?? ""));
}
