/**
 * The reusable workflow .github/workflows/compliance.yml, run locally: every
 * `run:` step of its job executes with bash as the runner would, with a
 * stubbed GitHub environment, the real `deno task scan` and `deno task
 * report` of this checkout, and the demo inventory. The checkout of
 * aws-tag-exporter becomes a symlink to this checkout; the other `uses:`
 * steps (checkout of the caller, setup-deno, upload) have nothing to do here.
 *
 * Demo ground truth (examples/demo, as in tests/report_cli_scan_test.ts): 245
 * resources scanned in 4 account-regions, 140 of them fully compliant.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parse, stringify } from "yaml";
import {
  type Contexts,
  type Doc,
  evaluate,
  inputDefaults,
  readWorkflow,
  runStep,
  type StepRun,
} from "./helpers/workflow.ts";

const FILE = ".github/workflows/compliance.yml";
const wf = readWorkflow(FILE);
const job = wf.jobs.report;
const REPO = Deno.cwd();
const DEMO_COMPLIANCE = String((140 * 100) / 245);

const demo = parse(Deno.readTextFileSync("examples/demo/config.yaml"));
const GHOST = { account_id: "999999999999", account_name: "ghost", regions: ["us-east-1"] };
const CONFIGS: Record<string, Doc> = {
  "demo.yaml": demo,
  // One account-region more, with no inventory file: NoInventory.
  "partial.yaml": { ...demo, aws_account_matrix: [...demo.aws_account_matrix, GHOST] },
  // Only account-regions without inventory: every target fails.
  "none.yaml": {
    ...demo,
    aws_account_matrix: [{ ...GHOST, regions: ["us-east-1", "eu-west-1"] }],
  },
};

interface JobRun {
  readonly steps: Record<string, StepRun>;
  /** The step that failed the job, or the last one. */
  readonly last: StepRun;
  readonly summary: string;
  /** The workflow's outputs, through the job's outputs, as the caller sees them. */
  readonly outputs: Record<string, string>;
  readonly artefacts: string[];
}

/** Runs the job with these inputs (the rest default) and a caller in another repository. */
async function runJob(inputs: Record<string, string | boolean>): Promise<JobRun> {
  const dir = await Deno.makeTempDir({ prefix: "compliance-wf-" });
  try {
    const workspace = `${dir}/workspace`;
    await Deno.mkdir(workspace);
    for (const [name, doc] of Object.entries(CONFIGS)) {
      await Deno.writeTextFile(`${workspace}/${name}`, stringify(doc));
    }
    await Deno.symlink(`${REPO}/examples/demo/inventory`, `${workspace}/inventory`);
    const ctx: Contexts = {
      inputs: { ...inputDefaults(wf), ...inputs },
      job: { workflow_repository: "acme/aws-tag-exporter", workflow_sha: "1".repeat(40) },
      github: { repository: "acme/infra", sha: "2".repeat(40), run_id: "7" },
      runner: { temp: `${dir}/runner-temp` },
      steps: {},
    };
    const runner = {
      dir,
      workspace,
      extra: { GITHUB_REPOSITORY: "acme/infra", GITHUB_SHA: "2".repeat(40) },
    };
    const steps: Record<string, StepRun> = {};
    let last: StepRun | undefined;
    for (const step of job.steps) {
      if (step.uses !== undefined) {
        await fakeAction(step, ctx, workspace);
        continue;
      }
      last = await runStep(step, ctx, runner);
      steps[step.id ?? step.name] = last;
      (ctx.steps as Doc)[step.id ?? ""] = { outputs: last.outputs };
      if (last.code !== 0) break;
    }
    const jobOutputs = Object.fromEntries(
      Object.entries<string>(job.outputs).map(([k, v]) => [k, evaluate(v, ctx)]),
    );
    const outputs = Object.fromEntries(
      Object.entries<Doc>(wf.on.workflow_call.outputs).map((
        [k, v],
      ) => [k, evaluate(v.value, { jobs: { report: { outputs: jobOutputs } } })]),
    );
    const summary = await Deno.readTextFile(`${dir}/summary.md`).catch(() => "");
    const temp = `${dir}/runner-temp/tag-compliance`;
    const artefacts = await Array.fromAsync(Deno.readDir(temp)).then((es) =>
      es.map((e) => e.name).sort()
    ).catch(() => []);
    return { steps, last: last!, summary, outputs, artefacts };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What a `uses:` step would have done, where the tests need it. */
async function fakeAction(step: Doc, ctx: Contexts, workspace: string): Promise<void> {
  const action = String(step.uses).split("@")[0];
  if (action === "actions/checkout" && step.with?.repository !== undefined) {
    strictEqual(step.if, "steps.exporter.outputs.path != '.'");
    const path = evaluate(step.with.path, ctx);
    if (path === ".") return;
    strictEqual(evaluate(step.with.repository, ctx), "acme/aws-tag-exporter");
    strictEqual(evaluate(step.with.ref, ctx), "1".repeat(40), "the workflow's own commit");
    await Deno.symlink(REPO, `${workspace}/${path}`);
  } else if (action === "aws-actions/configure-aws-credentials") {
    strictEqual(step.if, "inputs.aws-role-to-assume != ''");
    strictEqual(evaluate("${{ inputs.aws-role-to-assume }}", ctx), "", "no AWS here");
  }
}

/** Annotation titles of one level in a step's stdout, decoded. */
function annotations(out: string, level: string): string[] {
  return out.split("\n").filter((l) => l.startsWith(`::${level} `))
    .map((l) => decodeURIComponent(l.slice(l.indexOf("title=") + 6, l.indexOf("::", 2))));
}

const ARTEFACTS = [
  "report.csv",
  "report.json",
  "report.junit.xml",
  "report.log",
  "report.md",
  "scan.log",
  "snapshot.json",
];
const GHOST_ROW = (region: string) => `| ghost | 999999999999 | ${region} | NoInventory |`;

Deno.test("compliance.yml: exit 0 on the demo inventory, report in the job summary", async () => {
  const run = await runJob({ config: "demo.yaml", inventory: "inventory" });
  strictEqual(run.last.code, 0, run.last.stdout + run.last.stderr);
  deepStrictEqual(run.outputs, { "exit-code": "0", compliance: DEMO_COMPLIANCE });
  ok(run.summary.startsWith("## Tag compliance report\n"), run.summary.slice(0, 200));
  ok(run.summary.includes("140 of 245 resources in 4 of 4 account-regions"));
  ok(!run.summary.includes("Failed account-regions"));
  deepStrictEqual(annotations(run.last.stdout, "error"), []);
  deepStrictEqual(annotations(run.last.stdout, "notice"), ["Tag compliance"]);
  deepStrictEqual(run.artefacts, ARTEFACTS);
});

Deno.test("compliance.yml: exit 3 when an account-region has no inventory", async () => {
  const run = await runJob({ config: "partial.yaml", inventory: "inventory" });
  strictEqual(run.last.code, 3, run.last.stdout + run.last.stderr);
  deepStrictEqual(run.outputs, { "exit-code": "3", compliance: DEMO_COMPLIANCE });
  ok(run.summary.includes("### Failed account-regions"));
  ok(run.summary.includes(GHOST_ROW("us-east-1")), run.summary);
  ok(annotations(run.last.stdout, "error").includes("Scan failed: ghost 999999999999 us-east-1"));

  const allowed = await runJob({
    config: "partial.yaml",
    inventory: "inventory",
    "allow-partial": true,
  });
  strictEqual(allowed.last.code, 0, "allow-partial passes exit 3");
  deepStrictEqual(allowed.outputs, { "exit-code": "3", compliance: DEMO_COMPLIANCE });
  deepStrictEqual(annotations(allowed.last.stdout, "warning").slice(-1), ["Tag compliance"]);
});

Deno.test("compliance.yml: exit 4 when --fail-under breaks, failures still listed", async () => {
  const run = await runJob({
    config: "partial.yaml",
    inventory: "inventory",
    "fail-under": "60",
    "allow-partial": true,
  });
  strictEqual(run.last.code, 4, "4 wins over 3, and allow-partial does not pass it");
  deepStrictEqual(run.outputs, { "exit-code": "4", compliance: DEMO_COMPLIANCE });
  ok(
    run.last.stderr.includes(
      "below threshold: overall compliance 57.14% is below --fail-under 60%",
    ),
  );
  ok(run.summary.includes("- ❌ overall compliance 57.14% is below --fail-under 60%"));
  ok(run.summary.includes(GHOST_ROW("us-east-1")));
  deepStrictEqual(annotations(run.last.stdout, "error"), [
    "Tag compliance gate",
    "Scan failed: ghost 999999999999 us-east-1",
  ]);
});

Deno.test("compliance.yml: exit 5 when every target fails, each listed with its reason", async () => {
  const run = await runJob({ config: "none.yaml", inventory: "inventory", "fail-under": "60" });
  strictEqual(run.last.code, 5, run.last.stdout + run.last.stderr);
  deepStrictEqual(run.outputs, { "exit-code": "5", compliance: "" });
  ok(run.summary.includes("No account-region was scanned successfully: all 2 failed."));
  for (const region of ["us-east-1", "eu-west-1"]) {
    ok(run.summary.includes(GHOST_ROW(region)), region);
    ok(run.summary.includes(`no inventory file covers account 999999999999 region ${region}`));
  }
  deepStrictEqual(annotations(run.last.stdout, "error").sort(), [
    "Scan failed: ghost 999999999999 eu-west-1",
    "Scan failed: ghost 999999999999 us-east-1",
  ]);
  deepStrictEqual(run.artefacts, ARTEFACTS);
});

Deno.test("compliance.yml: a scan that cannot start still sets the outputs and the summary", async () => {
  const run = await runJob({ config: "missing.yaml" });
  strictEqual(run.last.code, 2);
  deepStrictEqual(run.outputs, { "exit-code": "2", compliance: "" });
  ok(
    run.summary.includes("**No report: the scan failed before writing a snapshot (exit code 2).**"),
  );
  ok(
    run.summary.includes("missing.yaml: cannot read the config file: no such file"),
    run.summary,
  );
  ok(!run.summary.includes("\x1b"), "no terminal colours in the summary");
  ok(!run.summary.includes("Task scan"), "no deno task header in the summary");
  deepStrictEqual(annotations(run.last.stdout, "error"), ["Tag compliance"]);
});

Deno.test("compliance.yml: gate inputs that report rejects still give outputs and a summary", async () => {
  const run = await runJob({
    config: "demo.yaml",
    inventory: "inventory",
    "fail-under-tag": "owner=90\nnosuch=50",
  });
  strictEqual(run.last.code, 2);
  deepStrictEqual(run.outputs, { "exit-code": "2", compliance: "" });
  ok(run.summary.includes("**No report: report failed on the snapshot or the gate inputs"));
  ok(run.summary.includes("nosuch"), run.summary);
  ok(run.last.stdout.includes("nosuch"), "the error is in the step log too");
});
