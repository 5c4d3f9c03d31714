import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { promtoolProblems } from "./helpers/promtool.ts";

const GOLDEN = new URL("./testdata/golden/demo.prom", import.meta.url);

/** Timings and timestamps differ per run; everything else must match byte for byte. */
function normalize(text: string): string {
  return text.replace(
    /^(aws_tag_exporter_(?:target_)?scan_duration_seconds(?:\{[^}]*\})?|aws_tag_exporter_last_scan_timestamp_seconds) .*$/gm,
    "$1 <volatile>",
  ).replace(
    /^aws_tag_exporter_build_info\{version="[^"]*"\} 1$/m,
    'aws_tag_exporter_build_info{version="<version>"} 1',
  );
}

Deno.test("deno task demo prints the golden exposition (UPDATE_GOLDEN=1 regenerates it)", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const task: string = denoJson.tasks.demo;
  const args = task.slice(task.indexOf("main.ts") + "main.ts".length).trim().split(/\s+/);
  const run = await runCli(await taskFlags("demo"), args);
  strictEqual(run.code, 0, run.stderr);
  const got = normalize(run.stdout);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") await Deno.writeTextFile(GOLDEN, got);
  strictEqual(got, await Deno.readTextFile(GOLDEN));
  deepStrictEqual(await promtoolProblems(run.stdout), []);
});
