/**
 * Runs the exporter as shipped: `deno run <the deno.json task's permission
 * flags> main.ts <args>`, in a subprocess, with fake base credentials, and
 * measures it from spawn to exit: wall time, peak RSS (VmHWM) and CPU.
 *
 * Peak RSS and CPU come from GNU time (`/usr/bin/time`), which reads them
 * from the kernel when the process is reaped, so no sample is missed; where
 * it is absent, /proc/<pid>/status is polled instead (CPU unknown).
 *
 * @module
 */
import { BASE_ENV } from "../tests/helpers/aws.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const GNU_TIME = "/usr/bin/time";

/** The permission flags of `deno task <task>`, exactly as deno.json has them. */
export async function taskFlags(task: string): Promise<string[]> {
  const denoJson = JSON.parse(await Deno.readTextFile(ROOT + "deno.json"));
  const words: string[] = (denoJson.tasks[task] as string).match(/'[^']*'|\S+/g)!
    .map((w) => w.replace(/^'|'$/g, "").replaceAll("$HOME", Deno.env.get("HOME") ?? ""));
  const from = words.indexOf("run") + 1;
  const to = words.indexOf("main.ts");
  if (from === 0 || to < from) {
    throw new Error(`deno.json task ${task} is not "deno run ... main.ts"`);
  }
  return words.slice(from, to);
}

/** One measured run of the exporter. */
export interface ProcRun {
  code: number;
  wallSeconds: number;
  peakRssMiB: number;
  /** User + system CPU seconds; NaN without GNU time. */
  cpuSeconds: number;
  stderr: string;
}

export interface ProcOptions {
  /** Deno flags added before main.ts, e.g. `--cpu-prof`. */
  denoFlags?: string[];
  env?: Record<string, string>;
}

/** The environment of every run: fake base credentials, no instance metadata lookups. */
export const RUN_ENV = { ...BASE_ENV, AWS_EC2_METADATA_DISABLED: "true", NO_COLOR: "1" };

/** Spawns `deno run <flags of task> main.ts <args>` and waits for it to exit. */
export async function runExporter(
  task: string,
  args: string[],
  opts: ProcOptions = {},
): Promise<ProcRun> {
  const deno = [
    Deno.execPath(),
    "run",
    ...await taskFlags(task),
    ...opts.denoFlags ?? [],
    "main.ts",
    ...args,
  ];
  const hasTime = await exists(GNU_TIME);
  const timeFile = hasTime ? await Deno.makeTempFile({ prefix: "org-bench-time-" }) : "";
  const [cmd, ...rest] = hasTime ? [GNU_TIME, "-f", "%M %U %S", "-o", timeFile, ...deno] : deno;
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args: rest,
    cwd: ROOT,
    env: { ...RUN_ENV, ...opts.env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let polledKb = 0;
  let polling = !hasTime;
  const poll = (async () => {
    while (polling) polledKb = Math.max(polledKb, (await procStatus(child.pid)).VmHWM ?? 0);
  })();
  const status = await child.status;
  const wallSeconds = (performance.now() - started) / 1000;
  polling = false;
  await poll;
  let peakKb = polledKb;
  let cpuSeconds = NaN;
  if (hasTime) {
    const [kb, user, sys] = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!
      .split(" ").map(Number);
    await Deno.remove(timeFile);
    peakKb = kb;
    cpuSeconds = user + sys;
  }
  return {
    code: status.code,
    wallSeconds,
    peakRssMiB: peakKb / 1024,
    cpuSeconds,
    stderr: await stderr,
  };
}

/**
 * The kB fields of /proc/<pid>/status (VmRSS, VmHWM, ...); empty once the
 * process is gone. Read through `cat`: Deno reads another process's /proc
 * files only with --allow-all.
 */
export async function procStatus(pid: number): Promise<Record<string, number>> {
  const out = await new Deno.Command("cat", { args: [`/proc/${pid}/status`], stderr: "null" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  return Object.fromEntries([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1], +m[2]]));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
