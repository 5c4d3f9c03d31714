/**
 * The rules demo: `scan` with examples/demo/rules.yaml over the bundled
 * inventory (hostile values included) matches golden/demo_rules.prom and
 * passes promtool, and `deno task demo:rules` prints the report in
 * golden/demo_rules.md. UPDATE_GOLDEN=1 regenerates both; review the diff.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { promtoolProblems } from "./helpers/promtool.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";

const GOLDEN = new URL("./testdata/golden/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

/** The arguments of a deno.json task after `main.ts`. */
async function taskArgs(task: string): Promise<string[]> {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const cmd: string = denoJson.tasks[task];
  return cmd.slice(cmd.indexOf("main.ts") + "main.ts".length).trim().split(/\s+/);
}

async function golden(name: string, got: string): Promise<void> {
  const url = new URL(name, GOLDEN);
  if (UPDATE) await Deno.writeTextFile(url, got);
  strictEqual(got, await Deno.readTextFile(url), `golden/${name} differs (UPDATE_GOLDEN=1)`);
}

Deno.test("scan with the rules demo config matches golden/demo_rules.prom and promtool", async () => {
  const args = (await taskArgs("demo:rules")).map((a) => a === "report" ? "scan" : a);
  const run = await runCli(await taskFlags("demo"), args);
  strictEqual(run.code, 0, run.stderr);
  const got = run.stdout.replace(
    /^(aws_tag_exporter_(?:target_)?scan_duration_seconds(?:\{[^}]*\})?|aws_tag_exporter_last_scan_timestamp_seconds) .*$/gm,
    "$1 <volatile>",
  ).replace(/^(aws_tag_exporter_build_info\{version=)"[^"]*"/m, '$1"<version>"');
  await golden("demo_rules.prom", got);
  deepStrictEqual(await promtoolProblems(run.stdout), []);
  // The reasons of each tag and target sum to its tag_non_compliant_total.
  const sums = new Map<string, number>();
  for (
    const m of run.stdout.matchAll(
      /^tag_non_compliant_resources\{(.*),reason="\w+",(.*)\} (\d+)$/gm,
    )
  ) {
    sums.set(`${m[1]},${m[2]}`, (sums.get(`${m[1]},${m[2]}`) ?? 0) + Number(m[3]));
  }
  const totals = [...run.stdout.matchAll(/^tag_non_compliant_total\{(.*)\} (\d+)$/gm)];
  strictEqual(totals.length, 16);
  for (const [, labels, n] of totals) strictEqual(sums.get(labels), Number(n), labels);
});

Deno.test("deno task demo:rules reports the reasons (golden/demo_rules.md)", async () => {
  const run = await runCli(await taskFlags("demo"), await taskArgs("demo:rules"));
  strictEqual(run.code, 0, run.stderr);
  ok(run.stdout.includes("| Tag | Compliant | Non-compliant | missing | wrong_case |"));
  await golden(
    "demo_rules.md",
    run.stdout.replace(
      /^Scan started \S+ by aws-tag-exporter \S+;/m,
      "Scan started <time> by aws-tag-exporter <version>;",
    ),
  );
});
