/**
 * The steps of .github/workflows/compliance.yml before the scan, each run
 * alone with bash as the runner would (tests/helpers/workflow.ts): which
 * aws-tag-exporter the job runs (the workflow file's own commit unless the
 * caller says otherwise), the OIDC permission check, and the runner input.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  type Doc,
  inputDefaults,
  readWorkflow,
  runStep,
  type StepRun,
} from "./helpers/workflow.ts";

const wf = readWorkflow(".github/workflows/compliance.yml");
const job = wf.jobs.report;

/** Runs one step of the job by id or name, alone, in a scratch directory. */
async function step(
  key: string,
  inputs: Record<string, string>,
  extra: Record<string, string>,
  jobContext: Record<string, string> = {},
): Promise<StepRun> {
  const s = job.steps.find((s: Doc) => s.id === key || s.name === key);
  const dir = await Deno.makeTempDir({ prefix: "compliance-step-" });
  try {
    const ctx = { inputs: { ...inputDefaults(wf), ...inputs }, job: jobContext };
    return await runStep(s, ctx, { dir, workspace: dir, extra });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const OWN = { workflow_repository: "acme/aws-tag-exporter", workflow_sha: "1".repeat(40) };
const CALLER = { GITHUB_REPOSITORY: "acme/infra", GITHUB_SHA: "2".repeat(40) };

Deno.test("compliance.yml runs aws-tag-exporter at the workflow file's own commit by default", async () => {
  const run = await step("exporter", {}, CALLER, OWN);
  strictEqual(run.code, 0, run.stdout);
  deepStrictEqual(run.outputs, {
    repository: "acme/aws-tag-exporter",
    ref: "1".repeat(40),
    path: ".aws-tag-exporter",
  });
});

Deno.test("compliance.yml called from its own repository at the same commit checks out once", async () => {
  const self = { GITHUB_REPOSITORY: "acme/aws-tag-exporter", GITHUB_SHA: "1".repeat(40) };
  const run = await step("exporter", {}, self, OWN);
  deepStrictEqual(run.outputs.path, ".");
});

Deno.test("compliance.yml: exporter-repository and exporter-ref override the default", async () => {
  const pinned = await step(
    "exporter",
    { "exporter-repository": "fork/aws-tag-exporter", "exporter-ref": "v1.4.0" },
    CALLER,
    OWN,
  );
  deepStrictEqual(pinned.outputs, {
    repository: "fork/aws-tag-exporter",
    ref: "v1.4.0",
    path: ".aws-tag-exporter",
  });
  const ref = await step("exporter", { "exporter-ref": "v1" }, CALLER, OWN);
  deepStrictEqual([ref.outputs.repository, ref.outputs.ref], ["acme/aws-tag-exporter", "v1"]);
});

Deno.test("compliance.yml fails clearly when it cannot tell which exporter to run", async () => {
  // Another repository without a ref: its default branch would be a guess.
  const fork = await step("exporter", { "exporter-repository": "fork/x" }, CALLER, OWN);
  // A GitHub without job.workflow_* (e.g. an older GitHub Enterprise Server).
  const old = await step("exporter", {}, CALLER, {});
  for (const run of [fork, old]) {
    strictEqual(run.code, 2);
    deepStrictEqual(run.outputs, {});
    ok(run.stdout.startsWith("::error title=Tag compliance::cannot tell which aws-tag-exporter"));
    ok(run.stdout.includes("set both exporter-repository and exporter-ref"));
  }
});

Deno.test("compliance.yml needs id-token: write only with aws-role-to-assume", async () => {
  const check = "Check the inputs";
  const role = { "aws-role-to-assume": "arn:aws:iam::123456789012:role/ci" };
  strictEqual((await step(check, {}, {})).code, 0, "inventory-only: no OIDC needed");
  const denied = await step(check, role, {});
  strictEqual(denied.code, 2);
  ok(denied.stdout.includes("grant `id-token: write` in the permissions of the calling job"));
  const granted = await step(check, role, {
    ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.example/",
  });
  strictEqual(granted.code, 0);
  // The workflow asks for no permissions itself: callers decide (see docs/reports-and-ci.md).
  strictEqual(job.permissions, undefined);
  strictEqual(wf.permissions, undefined);
});

Deno.test("compliance.yml: runs-on is an input, a label or a JSON array of labels", () => {
  strictEqual(inputDefaults(wf)["runs-on"], "ubuntu-latest");
  strictEqual(
    job["runs-on"],
    "${{ startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on }}",
  );
});
