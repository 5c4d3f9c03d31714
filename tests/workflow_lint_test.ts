/**
 * Real linters on the CI files: action-validator (the GitHub workflow JSON
 * schema, from npm: .ci/run installs it and sets ACTION_VALIDATOR to its
 * path) on every workflow, and shellcheck (Debian) on .ci/run and on every
 * workflow `run:` script. Each test also shows its linter rejecting a broken
 * input, so a linter that accepts everything cannot pass it. A missing
 * linter fails these tests under CI=true and ignores them otherwise.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parse, stringify } from "yaml";
import { readWorkflow, runScripts, workflowFiles } from "./helpers/workflow.ts";

const IN_CI = Deno.env.get("CI") === "true";
const VALIDATOR = Deno.env.get("ACTION_VALIDATOR") ?? "action-validator";

/** Runs a command; null when it is not installed. */
async function run(cmd: string, args: string[]): Promise<{ code: number; text: string } | null> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

const HAVE_VALIDATOR = (await run(VALIDATOR, ["--help"]))?.code === 0;
const HAVE_SHELLCHECK = (await run("shellcheck", ["--version"]))?.code === 0;
if (!IN_CI && !HAVE_VALIDATOR) {
  console.warn(
    `ignored: the workflow schema tests need action-validator (${VALIDATOR}); see .ci/run`,
  );
}
if (!IN_CI && !HAVE_SHELLCHECK) console.warn("ignored: the shellcheck tests need shellcheck");

function need(have: boolean, what: string): void {
  ok(have, `${what} is missing: .ci/run installs it (CI=true makes a missing linter an error)`);
}

/** Validates workflow documents written to a scratch directory; the exit code and output. */
async function validate(name: string, doc: string) {
  const dir = await Deno.makeTempDir({ prefix: "action-validator-" });
  try {
    await Deno.writeTextFile(`${dir}/${name}`, doc);
    return (await run(VALIDATOR, [`${dir}/${name}`]))!;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "action-validator accepts every workflow, and rejects broken ones",
  ignore: !IN_CI && !HAVE_VALIDATOR,
  async fn() {
    need(HAVE_VALIDATOR, `action-validator (${VALIDATOR})`);
    const files = workflowFiles();
    ok(files.includes(".github/workflows/compliance.yml"), files.join(" "));
    for (const file of files) {
      const res = await run(VALIDATOR, [file]);
      strictEqual(res?.code, 0, `${file}:\n${res?.text}`);
    }
    // The reusable workflow, broken in ways a YAML parser accepts.
    const good = Deno.readTextFileSync(".github/workflows/compliance.yml");
    strictEqual((await validate("compliance.yml", good)).code, 0);
    const badType = readWorkflow(".github/workflows/compliance.yml");
    badType.on.workflow_call.inputs.top.type = "integer";
    const typeRes = await validate("compliance.yml", stringify(badType));
    strictEqual(typeRes.code, 1, typeRes.text);
    ok(typeRes.text.includes("/on/workflow_call/inputs/top/type"), typeRes.text);
    const badStep = readWorkflow(".github/workflows/compliance.yml");
    badStep.jobs.report.steps[0].uses = "actions/checkout@v4";
    const stepRes = await validate("compliance.yml", stringify(badStep));
    strictEqual(stepRes.code, 1, stepRes.text);
    ok(stepRes.text.includes("/jobs/report"), stepRes.text);
  },
});

/** shellcheck's findings for a script, or "" when it has none. */
async function shellcheck(script: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "shellcheck-" });
  try {
    await Deno.writeTextFile(`${dir}/script.sh`, script);
    const res = (await run("shellcheck", ["--norc", "--shell=bash", `${dir}/script.sh`]))!;
    return res.code === 0 ? "" : res.text || `shellcheck exited ${res.code}`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "shellcheck passes .ci/run and every workflow run: script, and flags a broken one",
  ignore: !IN_CI && !HAVE_SHELLCHECK,
  async fn() {
    need(HAVE_SHELLCHECK, "shellcheck");
    strictEqual(await shellcheck(Deno.readTextFileSync(".ci/run")), "", ".ci/run");
    let scripts = 0;
    for (const file of workflowFiles()) {
      for (const { where, step } of runScripts(file)) {
        // Inputs reach scripts through env:, so a script is plain bash and injection-safe.
        ok(!step.run!.includes("${{"), `${where}: expression in run:, use env:`);
        strictEqual(await shellcheck(`#!/usr/bin/env bash\n${step.run}`), "", where);
        scripts++;
      }
    }
    ok(scripts >= 10, `${scripts} scripts`);
    const broken = await shellcheck("#!/usr/bin/env bash\nout=$1\nrm -rf $out/*\n");
    ok(broken.includes("SC2086"), broken);
  },
});

Deno.test("ci.yml installs the same action-validator as .ci/run", () => {
  const pinned = /^AV_VERSION=(\S+)$/m.exec(Deno.readTextFileSync(".ci/run"))?.[1];
  ok(pinned, ".ci/run pins AV_VERSION");
  const install = readWorkflow(".github/workflows/ci.yml").jobs.test.steps
    .map((s: { run?: string }) => s.run ?? "").find((r: string) => r.includes("action-validator"));
  ok(install, "ci.yml installs action-validator");
  for (const pkg of ["cli", "core"]) {
    ok(install.includes(`@action-validator/${pkg}@${pinned}`), `${pkg}@${pinned}`);
  }
  ok(install.includes("ACTION_VALIDATOR=") && install.includes("GITHUB_ENV"));
});

/** The example caller workflow in the "GitHub Actions" section of docs/reports-and-ci.md. */
function docsExample(): string {
  const page = Deno.readTextFileSync("docs/reports-and-ci.md");
  const at = page.indexOf("\n## GitHub Actions\n");
  ok(at >= 0, "docs/reports-and-ci.md: no GitHub Actions section");
  const m = /```yaml\n([\s\S]*?)```/.exec(page.slice(at));
  ok(m, "docs/reports-and-ci.md: no yaml example under GitHub Actions");
  return m[1];
}

Deno.test({
  name:
    "the caller workflow of docs/reports-and-ci.md is valid and leaves unrelated pull requests alone",
  ignore: !IN_CI && !HAVE_VALIDATOR,
  async fn() {
    need(HAVE_VALIDATOR, `action-validator (${VALIDATOR})`);
    const text = docsExample();
    const res = await validate("tag-compliance.yml", text);
    strictEqual(res.code, 0, res.text);
    const caller = parse(text);
    // Pull requests only when they touch what the gate decides with...
    ok(caller.on.pull_request.paths.includes("config.yaml"), "paths filter on config.yaml");
    ok(caller.on.schedule, "a scheduled run watches the estate");
    const job = caller.jobs["tag-compliance"];
    // ...and never from forks, which get no OIDC token.
    ok(/head\.repo\.full_name == github\.repository/.test(job.if), job.if);
    deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
    strictEqual(job.uses, "OWNER/aws-tag-exporter/.github/workflows/compliance.yml@v1");
    const declared = Object.keys(
      readWorkflow(".github/workflows/compliance.yml").on.workflow_call.inputs,
    );
    for (const key of Object.keys(job.with)) ok(declared.includes(key), `unknown input ${key}`);
  },
});
