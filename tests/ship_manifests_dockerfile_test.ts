/** The image: the Dockerfile's stages and runtime, the serve task's read paths, .dockerignore. */
import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import type { Doc } from "./helpers/manifests.ts";
import { CONFIG_DIR, loadCiWorkflow, SERVE } from "./helpers/ship_manifests_fixture.ts";

const dockerfile = await Deno.readTextFile("Dockerfile");
const instructions = dockerfile.replace(/\\\n\s*/g, " ").split("\n")
  .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), arg: rest.join(" ") };
  });
const froms = instructions.filter((i) => i.op === "FROM").map((i) => i.arg);
const runtime = instructions.slice(instructions.findLastIndex((i) => i.op === "FROM"));
const ci = await loadCiWorkflow();
const ciDeno = ci.jobs.test.steps.find((s: Doc) => String(s.uses).startsWith("denoland/setup-deno"))
  .with["deno-version"];

Deno.test("Dockerfile: multi-stage, pinned to CI's Deno, distroless runtime", () => {
  assert.equal(froms.length, 2);
  assert.equal(froms[0], `denoland/deno:debian-${ciDeno} AS build`);
  assert.equal(froms[1], `denoland/deno:distroless-${ciDeno}`);
  assert.equal(ciDeno, Deno.version.deno, "CI and the Dockerfile pin the Deno this repo uses");
  const build = instructions.slice(0, instructions.findLastIndex((i) => i.op === "FROM"));
  const runs = build.filter((i) => i.op === "RUN").map((i) => i.arg);
  assert.ok(runs.includes("deno install --frozen"), runs.join(" | "));
  assert.ok(runs.includes("deno cache --frozen main.ts"), runs.join(" | "));
  for (const stage of [build, runtime]) {
    assert.ok(stage.some((i) => i.op === "ENV" && /DENO_DIR=\/deno-dir\b/.test(i.arg)));
  }
  assert.ok(runtime.some((i) => i.op === "COPY" && i.arg === "--from=build /deno-dir /deno-dir"));
  assert.ok(runtime.some((i) => i.op === "RUN") === false, "distroless has no shell to RUN");
});

Deno.test("Dockerfile: runs `deno task serve` as nonroot on port 8080 from /app", () => {
  const last = (op: string) => runtime.findLast((i) => i.op === op)?.arg;
  assert.match(last("USER") ?? "", /^(nonroot|65532)(:(nonroot|65532))?$/);
  assert.equal(last("WORKDIR"), "/app");
  assert.equal(last("EXPOSE"), String(SERVE.port));
  assert.deepEqual(JSON.parse(last("ENTRYPOINT")!), ["/tini", "--", "/bin/deno"]);
  assert.deepEqual(JSON.parse(last("CMD")!), ["task", "serve", "--config", "/app/config.yaml"]);
});

Deno.test("the serve task may read the config and IRSA paths the container uses", () => {
  const allowRead = (denoJson.tasks.serve.match(/--allow-read=(\S+)/)?.[1] ?? "").split(",");
  for (
    const path of [
      "/app",
      CONFIG_DIR,
      "/var/run/secrets/eks.amazonaws.com",
      "/var/run/secrets/pods.eks.amazonaws.com",
    ]
  ) {
    assert.ok(allowRead.includes(path), `serve's --allow-read lacks ${path}`);
  }
  assert.ok(!/(^|\s)(-A|--allow-all)(\s|$)/.test(denoJson.tasks.serve));
});

Deno.test(".dockerignore sends only what the image needs", async () => {
  const lines = (await Deno.readTextFile(".dockerignore")).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  assert.deepEqual(lines, ["*", "!deno.json", "!deno.lock", "!main.ts", "!src/"]);
  // main.ts imports nothing outside src/ and deno.json.
  const main = await Deno.readTextFile("main.ts");
  for (const m of main.matchAll(/from\s+"(\.[^"]+)"/g)) assert.match(m[1], /^\.\/src\//);
});
