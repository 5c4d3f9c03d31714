/** The GitHub workflows: actions pinned to tags, what ci.yml runs, what release.yml publishes. */
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { Doc } from "./helpers/manifests.ts";
import { loadCiWorkflow } from "./helpers/ship_manifests_fixture.ts";

const ci = await loadCiWorkflow();

Deno.test("workflows pin every action to a version tag", async () => {
  for (
    const file of [
      ".github/workflows/ci.yml",
      ".github/workflows/release.yml",
      ".github/workflows/compliance.yml",
    ]
  ) {
    const wf = parse(await Deno.readTextFile(file));
    for (const [name, job] of Object.entries<Doc>(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        assert.match(step.uses, /^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/, `${file} ${name}`);
      }
    }
  }
});

Deno.test("ci.yml runs fmt, lint, check and the tests with Prometheus tools and coverage", () => {
  const runs = Object.values<Doc>(ci.jobs).flatMap((j) => j.steps.map((s: Doc) => s.run ?? ""))
    .join("\n");
  for (const want of ["deno fmt --check", "deno lint", "deno check", "deno coverage"]) {
    assert.ok(runs.includes(want), want);
  }
  assert.match(runs, /apt-get install .*prometheus prometheus-pushgateway/);
  assert.match(runs, /deno task test .*--coverage/);
});

Deno.test("release.yml publishes checksummed binaries, then the image to ghcr.io", async () => {
  const release = parse(await Deno.readTextFile(".github/workflows/release.yml"));
  // Full versions only (tests/workflow_release_test.ts): a pushed v1 must not release.
  assert.deepEqual(release.on.push.tags, ["v[0-9]+.[0-9]+.[0-9]+", "v[0-9]+.[0-9]+.[0-9]+-*"]);
  const uses = Object.values<Doc>(release.jobs).flatMap((j) => j.steps.map((s: Doc) => s.uses))
    .filter(Boolean).map((u: string) => u.split("@")[0]);
  for (const action of ["softprops/action-gh-release", "docker/build-push-action"]) {
    assert.ok(uses.includes(action), action);
  }
  assert.deepEqual(release.jobs.image.needs, "github-release");
  const text = JSON.stringify(release);
  assert.ok(text.includes("sha256sum"));
  assert.ok(text.includes("ghcr.io/"));
});
