/**
 * .github/workflows/release.yml: which tags start a release, how the tag is
 * checked, and how the moving major tag (v1) follows releases. The scripts
 * run with bash as the runner would (tests/helpers/workflow.ts); the major
 * tag is moved in real git repositories, pushed to a local bare "origin".
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { type Doc, readWorkflow, runStep, type StepRun } from "./helpers/workflow.ts";

const wf = readWorkflow(".github/workflows/release.yml");

/**
 * A GitHub filter pattern as a regular expression: `*` is any run of
 * characters but `/`, `+` and `?` repeat the previous character or class,
 * `[...]` is a class, anything else (`.` included) is literal.
 */
function filterRegExp(pattern: string): RegExp {
  const re = pattern.replace(/\[[^\]]*\]|\*|[+?]|[^[*+?]/g, (t) => {
    if (t === "*") return "[^/]*";
    if (t === "+" || t === "?" || t.startsWith("[")) return t;
    return t.replace(/[.\\^$|(){}]/g, "\\$&");
  });
  return new RegExp(`^${re}$`);
}

Deno.test("release.yml starts only on full semver tags, never on the moving v1", () => {
  const patterns: string[] = wf.on.push.tags;
  deepStrictEqual(Object.keys(wf.on), ["push"]);
  const starts = (tag: string) => patterns.some((p) => filterRegExp(p).test(tag));
  for (const tag of ["v1.2.3", "v10.20.30", "v1.2.3-rc.1", "v2.0.0-beta"]) ok(starts(tag), tag);
  for (const tag of ["v1", "v2", "v1.2", "1.2.3", "v1.2.3.4", "latest", "v1.x.0", "vx.1.2"]) {
    ok(!starts(tag), tag);
  }
});

/** Runs a `run:` step of release.yml alone. */
async function step(
  job: string,
  name: string,
  ctx: Doc,
  extra: Record<string, string>,
  workspace?: string,
) {
  const s = wf.jobs[job].steps.find((s: Doc) => s.id === name || s.name === name);
  ok(s, `${job}: no step ${name}`);
  const dir = await Deno.makeTempDir({ prefix: "release-step-" });
  try {
    return await runStep(s, ctx, { dir, workspace: workspace ?? dir, extra });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("release.yml checks the tag as semver and tells pre-releases", async () => {
  const parse = (tag: string) => step("version", "semver", {}, { GITHUB_REF_NAME: tag });
  const cases: [string, Record<string, string>][] = [
    ["v1.2.3", { version: "1.2.3", major: "1", prerelease: "false" }],
    ["v10.0.0-rc.1", { version: "10.0.0-rc.1", major: "10", prerelease: "true" }],
    ["v0.1.0-alpha-2.x", { version: "0.1.0-alpha-2.x", major: "0", prerelease: "true" }],
  ];
  for (const [tag, outputs] of cases) {
    const run = await parse(tag);
    strictEqual(run.code, 0, run.stdout + run.stderr);
    deepStrictEqual(run.outputs, outputs, tag);
  }
  // Matched by the filters, but not semver: leading zeros, empty identifiers.
  for (const tag of ["v01.2.3", "v1.02.3", "v1.2.3-01", "v1.2.3-rc..1", "v1.2.3-"]) {
    const run = await parse(tag);
    strictEqual(run.code, 1, tag);
    deepStrictEqual(run.outputs, {}, tag);
    ok(run.stdout.startsWith(`::error title=Release::tag ${tag} is not a full semver`), tag);
  }
});

Deno.test("release.yml moves the major tag last, only after a full release", () => {
  const j = wf.jobs;
  deepStrictEqual(j.compile.needs, "version");
  deepStrictEqual(j["github-release"].needs, ["version", "compile"]);
  deepStrictEqual(j["major-tag"].needs, ["version", "github-release", "image"]);
  strictEqual(j["major-tag"].if, "needs.version.outputs.prerelease == 'false'");
  deepStrictEqual(j["major-tag"].permissions, { contents: "write" });
  deepStrictEqual(wf.permissions, { contents: "read" }, "write only where needed");
  const release = j["github-release"].steps.find((s: Doc) =>
    String(s.uses).startsWith("softprops/action-gh-release")
  );
  strictEqual(release.with.prerelease, "${{ needs.version.outputs.prerelease == 'true' }}");
});

// ------------------------------------------------------- moving the major tag

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  ok(out.success, `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

Deno.test("release.yml moves v<major> to the highest full release of that major", async () => {
  const dir = await Deno.makeTempDir({ prefix: "release-tags-" });
  try {
    const origin = `${dir}/origin.git`;
    const work = `${dir}/work`;
    await git(dir, "init", "--bare", "-q", origin);
    await git(dir, "clone", "-q", origin, work);
    const commits: Record<string, string> = {};
    for (const tag of ["v1.2.0", "v1.9.0", "v1.10.0", "v1.11.0-rc.1", "v1.2.4", "v2.0.0"]) {
      await git(work, "commit", "-q", "--allow-empty", "-m", tag);
      await git(work, "tag", tag);
      commits[tag] = await git(work, "rev-parse", "HEAD");
    }
    await git(work, "push", "-q", "origin", "HEAD:refs/heads/main", "--tags");
    const move = async (version: string): Promise<StepRun> => {
      const major = version.split(".")[0];
      const ctx = { needs: { version: { outputs: { version, major } } } };
      return await step("major-tag", `Move v\${{ needs.version.outputs.major }}`, ctx, {}, work);
    };
    const v1 = () => git(origin, "rev-parse", "v1^{commit}");

    // v1.10.0 is the highest full release of 1 (version order, pre-releases aside).
    let run = await move("1.10.0");
    strictEqual(run.code, 0, run.stdout + run.stderr);
    strictEqual(await v1(), commits["v1.10.0"]);
    // A patch to an older minor, released later, leaves v1 where it is.
    run = await move("1.2.4");
    strictEqual(run.code, 0, run.stderr);
    ok(run.stdout.includes("v1 stays: v1.2.4 is not the highest release of major 1"));
    strictEqual(await v1(), commits["v1.10.0"]);
    // v2 is its own tag; v1 is untouched.
    run = await move("2.0.0");
    strictEqual(run.code, 0, run.stderr);
    strictEqual(await git(origin, "rev-parse", "v2^{commit}"), commits["v2.0.0"]);
    strictEqual(await v1(), commits["v1.10.0"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
