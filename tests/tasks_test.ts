import { deepStrictEqual, ok } from "node:assert/strict";
import { PROXY_VARIABLES } from "../src/aws/proxy_env.ts";

const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const tasks: Record<string, string> = denoJson.tasks;

Deno.test("deno.json has the documented tasks", () => {
  for (
    const name of [
      "demo",
      "scan",
      "report",
      "serve",
      "validate",
      "targets",
      "test",
      "bench",
      "check",
    ]
  ) {
    ok(tasks[name], `task ${name} is missing`);
  }
});

Deno.test("no task runs with all permissions", () => {
  for (const [name, cmd] of Object.entries(tasks)) {
    ok(!/(^|\s)(-A|--allow-all)(\s|$)/.test(cmd), `task ${name} uses -A`);
  }
});

Deno.test("runtime tasks and binaries may read every proxy variable, upper and lower case", () => {
  for (
    const name of [
      "scan",
      "report",
      "serve",
      "targets",
      ...Object.keys(tasks).filter((t) => t.startsWith("compile:")),
    ]
  ) {
    const env = /--allow-env=([^'\s]+)/.exec(tasks[name])?.[1].split(",") ?? [];
    for (const v of PROXY_VARIABLES) ok(env.includes(v), `${name} lacks ${v}`);
  }
});

Deno.test("runtime tasks read only AWS_*, home and proxy variables and ignore the rest", () => {
  for (const name of ["scan", "report", "serve", "targets"]) {
    const cmd = tasks[name];
    const env = /--allow-env=([^'\s]+)/.exec(cmd)?.[1].split(",") ?? [];
    ok(env.includes("AWS_*"), `${name}: ${cmd}`);
    deepStrictEqual(
      env.filter((v) =>
        !/^(AWS_\*|HOME|USERPROFILE|HOMEPATH|HOMEDRIVE|NO_COLOR|GITHUB_STEP_SUMMARY|HOSTNAME)$/
          .test(v) && !PROXY_VARIABLES.includes(v as typeof PROXY_VARIABLES[number])
      ),
      [],
    );
    ok(cmd.includes("--ignore-env"), `${name} lacks --ignore-env`);
    ok(/--allow-sys=osRelease(\s|$)/.test(cmd), `${name}: sys must be osRelease only`);
    // Network must reach custom endpoints (AWS_ENDPOINT_URL, VPC endpoints): no host list.
    ok(/--allow-net(\s|$)/.test(cmd), `${name}: --allow-net must not pin hosts`);
  }
  ok(!tasks.serve.includes("--allow-write"), "serve must not write files");
  ok(!tasks.targets.includes("--allow-write"), "targets must not write files");
});

Deno.test("the program never fetches: every task that runs main.ts runs from the cache only", () => {
  // deno task installs what deno.lock names before it runs the line; the image's build does too.
  const running = Object.entries(tasks).filter(([, cmd]) => /^deno run .* main\.ts /.test(cmd));
  deepStrictEqual(running.map(([name]) => name).sort(), [
    "demo",
    "demo:rules",
    "report",
    "scan",
    "serve",
    "targets",
    "validate",
  ]);
  for (const [name, cmd] of running) ok(/^deno run --cached-only /.test(cmd), `${name}: ${cmd}`);
});

Deno.test("serve runs V8's incremental marking on allocation, not as tasks that hold the event loop", () => {
  ok(tasks.serve.includes(" --v8-flags=--no-incremental-marking-task "), tasks.serve);
  // The scan does not wait on a server; the flag cost it about 5 % of CPU at zero latency.
  for (const name of ["scan", "report"]) {
    ok(!tasks[name].includes("incremental-marking"), name);
  }
});

Deno.test("scans and binaries grow V8's heap by 40 % over what lives, not by V8's default", () => {
  const scanning = [
    "scan",
    "report",
    ...Object.keys(tasks).filter((t) => t.startsWith("compile:")),
  ];
  for (const name of scanning) {
    ok(tasks[name].includes(" --v8-flags=--heap-growing-percent=40 "), `${name}: ${tasks[name]}`);
  }
  ok(!tasks.serve.includes("heap-growing-percent"), "serve keeps V8's default");
});

Deno.test("test sanitizers for ops and resources are on", () => {
  deepStrictEqual([denoJson.test.sanitizeOps, denoJson.test.sanitizeResources], [true, true]);
});
