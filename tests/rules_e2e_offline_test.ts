/** Tag rules end to end, no AWS: report usage errors, serve on the demo, a hostile inventory. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { promtoolProblems } from "./helpers/promtool.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { ServeProcess } from "./helpers/serve_process.ts";

Deno.test("report --fail-on-reason without tag rules is a usage error (exit 2)", async () => {
  const run = await runCli(await taskFlags("report"), [
    "report",
    "--input",
    "tests/testdata/report/snapshot.json",
    "--fail-on-reason",
    "missing=0",
  ]);
  strictEqual(run.code, 2, run.stderr);
  strictEqual(
    run.stderr.trim(),
    "error: --fail-on-reason needs tag rules, and tests/testdata/report/snapshot.json has none " +
      "(set tag_rules, key_case or prohibited_tags in the config; see docs/tag-rules.md)",
  );
  const bad = await runCli(await taskFlags("report"), [
    "report",
    "--input",
    "tests/testdata/report/rules_snapshot.json",
    "--fail-on-reason",
    "typo=1",
  ]);
  strictEqual(bad.code, 2, bad.stderr);
  ok(
    bad.stderr.includes(
      "expected REASON=N with REASON one of missing, wrong_case, empty, invalid_value, prohibited",
    ),
    bad.stderr,
  );
});

Deno.test("serve exports the rule families and shows the rule set on its status page", async () => {
  const serve = await ServeProcess.start([
    "--config",
    "examples/demo/rules.yaml",
    "--inventory",
    "examples/demo/inventory",
  ]);
  try {
    await serve.waitReady();
    const metrics = await serve.text("/metrics");
    const scan = await runCli(await taskFlags("demo"), [
      "scan",
      "--config",
      "examples/demo/rules.yaml",
      "--inventory",
      "examples/demo/inventory",
    ]);
    // serve exports the same rule series as scan, and the detail families.
    const rulesOf = (text: string) =>
      text.split("\n").filter((l) =>
        /^(tag_non_compliant_resources|prohibited_tag_resources|tag_invalid_detail)\{/.test(l)
      );
    ok(rulesOf(metrics).length > 100);
    deepStrictEqual(rulesOf(metrics), rulesOf(scan.stdout));
    const doc = await (await serve.get("/")).json();
    strictEqual(doc.config.key_case, "exact");
    deepStrictEqual(doc.config.prohibited_tags, ["Owner"]);
    deepStrictEqual(doc.config.tag_rules.find((r: { tag: string }) => r.tag === "cost_center"), {
      tag: "cost_center",
      allowed_values: null,
      pattern: "cost_center-[0-3]",
      ignore_value_case: false,
      allow_empty: true,
    });
    const html = await serve.text("/", { headers: { accept: "text/html" } });
    ok(html.includes("<h2>Tag rules</h2>") && html.includes("<td>cost_center-[0-3]</td>"), html);
  } finally {
    strictEqual(await serve.stop(), 0, serve.stderr);
  }
});

Deno.test("hostile tag keys and values with rules stay valid Prometheus text, values never labels", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = await Deno.readTextFile("tests/testdata/inventory/hostile/config.yaml");
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      base + 'tag_rules:\n  env:\n    allowed_values: ["a\\"b*", "z"]\n  "own\\ner":\n' +
        '    allow_empty: false\nprohibited_tags: ["bad\\"key\\\\\\n"]\n',
    );
    const run = await runCli(await taskFlags("scan"), [
      "scan",
      "-q",
      "--config",
      config,
      "--inventory",
      "tests/testdata/inventory/hostile",
    ]);
    strictEqual(run.code, 0, run.stderr);
    deepStrictEqual(await promtoolProblems(run.stdout), []);
    // env "é" and env "" are not allowed; "a\"b" is (wildcard): the value never shows.
    const invalid = run.stdout.split("\n").filter((l) => l.startsWith("tag_invalid_detail{"));
    deepStrictEqual(invalid.map((l) => /resource_arn="([^"]*(?:\\.[^"]*)*)"/.exec(l)![1]), [
      "arn:aws:sns:eu-west-1:012345678901:Zürich☃-𝄞",
      "arn:aws:ec2:eu-west-1:012345678901:instance/i-1",
    ]);
    ok(!run.stdout.includes('"é"') && !run.stdout.includes('reason="ok"'));
    ok(
      run.stdout.includes(
        'prohibited_tag_resources{account_id="012345678901",account_name="we\\"ird \\\\ name\\nline2 | ünï",region="eu-west-1",tag="bad\\"key\\\\\\n"} 0',
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
