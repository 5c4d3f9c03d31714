/**
 * Runs the `run:` steps of a GitHub Actions workflow job locally, the way the
 * runner does: each script in a file, through `bash --noprofile --norc -eo
 * pipefail` (`shell: bash`) or `bash -e` (no shell), with the step's `env:`
 * evaluated against stubbed contexts and the runner's files (GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_ENV) in a scratch directory. `uses:` steps are
 * left to the caller (e.g. a checkout becomes a symlink).
 *
 * Expressions: only `${{ context.path.to.value }}` lookups are evaluated, as
 * GitHub does (a missing property is empty). Anything else throws, so a
 * workflow change this harness cannot follow fails the test instead of being
 * half-run.
 */
import { parse } from "yaml";

// deno-lint-ignore no-explicit-any
export type Doc = any;

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly env?: Record<string, string | number | boolean>;
}

/** A parsed workflow file. */
export function readWorkflow(file: string): Doc {
  return parse(Deno.readTextFileSync(file));
}

/** Every workflow file of the repository. */
export function workflowFiles(): string[] {
  return [...Deno.readDirSync(".github/workflows")]
    .filter((e) => e.isFile && /\.ya?ml$/.test(e.name))
    .map((e) => `.github/workflows/${e.name}`).sort();
}

/** Every `run:` script of a workflow, with where it is. */
export function runScripts(file: string): { where: string; step: Step }[] {
  const wf = readWorkflow(file);
  return Object.entries<Doc>(wf.jobs).flatMap(([job, j]) =>
    (j.steps as Step[]).map((step, i) => ({ where: `${file} ${job} step ${i + 1}`, step }))
      .filter((s) => s.step.run !== undefined)
  );
}

/** The workflow_call inputs with their defaults, as strings and booleans. */
export function inputDefaults(wf: Doc): Record<string, string | boolean> {
  const inputs = wf.on?.workflow_call?.inputs ?? {};
  return Object.fromEntries(
    Object.entries<Doc>(inputs).map((
      [k, v],
    ) => [k, v.default ?? (v.type === "boolean" ? false : "")]),
  );
}

/** Contexts for expressions: `inputs`, `job`, `github`, `runner`, `steps`, `needs`, ... */
export type Contexts = Record<string, unknown>;

/** Evaluates the `${{ a.b.c }}` lookups in a value; throws on anything else. */
export function evaluate(value: string, ctx: Contexts): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/.test(expr)) {
      throw new Error(`tests/helpers/workflow.ts cannot evaluate \${{ ${expr} }}`);
    }
    let v: unknown = ctx;
    for (const key of expr.split(".")) {
      v = v !== null && typeof v === "object" && Object.hasOwn(v, key)
        ? (v as Record<string, unknown>)[key]
        : undefined;
    }
    return v === undefined || v === null ? "" : String(v);
  });
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file: `k=v` lines and `k<<DELIM` blocks. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end < 0) throw new Error(`unterminated ${heredoc[1]}<<${heredoc[2]}`);
      out[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("=")) {
      const eq = lines[i].indexOf("=");
      out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return out;
}

export interface StepRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
}

/** Variables the runner always sets, plus what a local Deno needs to find its cache. */
export interface RunnerEnv {
  /** The job's scratch directory: GITHUB_WORKSPACE, RUNNER_TEMP and the command files live here. */
  readonly dir: string;
  readonly workspace: string;
  readonly extra?: Record<string, string>;
}

const PASS_THROUGH = ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR", "LANG"];

/** Runs one `run:` step; its outputs are read back from its own GITHUB_OUTPUT file. */
export async function runStep(step: Step, ctx: Contexts, runner: RunnerEnv): Promise<StepRun> {
  if (step.run === undefined) throw new Error(`step ${step.name} has no run:`);
  if (step.if !== undefined) throw new Error(`step ${step.name}: if: is not emulated`);
  if (step.run.includes("${{")) throw new Error(`step ${step.name}: expression in run:`);
  const n = crypto.randomUUID();
  const script = `${runner.dir}/step-${n}.sh`;
  const output = `${runner.dir}/output-${n}`;
  await Deno.writeTextFile(script, step.run);
  await Deno.writeTextFile(output, "");
  const env: Record<string, string> = {};
  for (const k of PASS_THROUGH) {
    const v = Deno.env.get(k);
    if (v !== undefined) env[k] = v;
  }
  const denoDir = Deno.execPath().replace(/\/[^/]+$/, "");
  env.PATH = `${denoDir}:${env.PATH ?? "/usr/bin:/bin"}`;
  Object.assign(env, {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: runner.workspace,
    RUNNER_TEMP: `${runner.dir}/runner-temp`,
    GITHUB_OUTPUT: output,
    GITHUB_ENV: `${runner.dir}/env`,
    GITHUB_STEP_SUMMARY: `${runner.dir}/summary.md`,
  }, runner.extra ?? {});
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(String(v), ctx);
  await Deno.mkdir(env.RUNNER_TEMP, { recursive: true });
  const args = step.shell === "bash"
    ? ["--noprofile", "--norc", "-eo", "pipefail", script]
    : ["-e", script];
  const out = await new Deno.Command("bash", {
    args,
    cwd: runner.workspace,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    outputs: parseCommandFile(await Deno.readTextFile(output)),
  };
}
