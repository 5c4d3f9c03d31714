/**
 * When `detail_metrics.max_series` cuts detail series, stderr says so once
 * per export, with the number left out and the key that raises the cap.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { processIo } from "../src/cli/io.ts";
import { runCli } from "../src/cli/program.ts";
import { StatusLine } from "../src/cli/status_line.ts";
import { createLogger } from "../src/log.ts";
import { DETAIL_CAPPED_MESSAGE } from "../src/metrics/detail_warning.ts";
import { Refresher } from "../src/serve/refresher.ts";
import { SelfMetrics } from "../src/serve/self_metrics.ts";
import { logfmtRecord } from "./helpers/logfmt.ts";
import { result, target } from "./testdata/serve/fixtures.ts";

const ACCOUNT = "111111111111";

/**
 * Three resources without either required tag: 3 x 2 = 6 `tag_missing_detail`
 * series, so a cap of 2 leaves 4 out.
 */
const INVENTORY = {
  ResourceTagMappingList: [1, 2, 3].map((i) => ({
    ResourceARN: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${i}`,
    Tags: [{ Key: "Name", Value: `queue ${i}` }],
  })),
};

/** Runs `scan` in-process with `detail` as the config's detail_metrics; returns stdout and stderr. */
async function scan(detail: string, ...flags: string[]) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "inv", ACCOUNT), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "inv", ACCOUNT, "us-east-1.json"),
      JSON.stringify(INVENTORY),
    );
    await Deno.writeTextFile(
      join(dir, "c.yaml"),
      `aws_account_matrix:\n  - account_id: "${ACCOUNT}"\n    regions: [us-east-1]\n` +
        `REQUIRED_TAGS: [env, owner]\ndetail_metrics: ${detail}\n`,
    );
    const err: string[] = [];
    const out: string[] = [];
    const io = {
      ...processIo(new StatusLine((s) => err.push(s))),
      stdout: async (chunks: AsyncIterable<string> | Iterable<string>) => {
        for await (const c of chunks) out.push(c);
      },
    };
    const args = ["scan", "-c", join(dir, "c.yaml"), "-i", join(dir, "inv"), ...flags];
    const code = await runCli(args, io);
    strictEqual(code, 0, err.join(""));
    return { stdout: out.join(""), stderr: err.join("").trimEnd().split("\n") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("scan warns once with the number of detail series max_series left out", async () => {
  for (const flags of [[], ["--quiet"], ["--format", "openmetrics"]]) {
    const run = await scan("{max_series: 2}", ...flags);
    strictEqual(run.stdout.match(/^tag_missing_detail\{/gm)?.length, 2);
    ok(run.stdout.includes("\naws_tag_exporter_detail_series_dropped 4\n"), run.stdout);
    const warnings = run.stderr.filter((l) => l.includes("max_series"));
    strictEqual(warnings.length, 1, run.stderr.join("\n"));
    const w = logfmtRecord(warnings[0]);
    deepStrictEqual([w.level, w.msg, w.dropped_series, w.max_series], [
      "warn",
      DETAIL_CAPPED_MESSAGE,
      "4",
      "2",
    ]);
  }
});

Deno.test("scan --log-format json writes the warning as one JSON object", async () => {
  // Resources are kept whole: 2 + 2 series fit in 5, the third resource's 2 do not.
  const run = await scan("{max_series: 5}", "--log-format", "json");
  strictEqual(run.stdout.match(/^tag_missing_detail\{/gm)?.length, 4);
  ok(run.stdout.includes("\naws_tag_exporter_detail_series_dropped 2\n"), run.stdout);
  const lines = run.stderr.map((l) => JSON.parse(l));
  const warnings = lines.filter((l) => l.msg === DETAIL_CAPPED_MESSAGE);
  strictEqual(warnings.length, 1);
  strictEqual(warnings[0].level, "warn");
  strictEqual(warnings[0].dropped_series, 2);
  strictEqual(warnings[0].max_series, 5);
});

Deno.test("scan does not warn when the cap keeps everything, detail is off, or the output is JSON", async () => {
  for (
    const [detail, flags] of [
      ["{max_series: 6}", []],
      ["false", []],
      ["{max_series: 2}", ["--format", "json"]],
    ] as const
  ) {
    const run = await scan(detail, ...flags);
    ok(!run.stderr.some((l) => l.includes("max_series")), `${detail}: ${run.stderr.join("\n")}`);
  }
});

Deno.test("serve warns once per scan that drops detail series", async () => {
  const lines: string[] = [];
  const self = new SelfMetrics(0);
  // Hand-written target: 4 instances, 2 of them without owner and env: 4 detail series.
  const arns = [1, 2, 3, 4].map((i) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-${i}`);
  const refresher = new Refresher({
    scan: () => Promise.resolve(result([target("us-east-1", arns)])),
    detail: { enabled: true, maxSeries: 3 },
    self,
    log: createLogger({ write: (l) => lines.push(l) }),
    pause: () => Promise.resolve(),
  });
  await refresher.refresh("schedule");
  await refresher.refresh("schedule");
  const warnings = lines.map(logfmtRecord).filter((r) => r.msg === DETAIL_CAPPED_MESSAGE);
  deepStrictEqual(warnings.map((w) => [w.level, w.dropped_series, w.max_series]), [
    ["warn", "1", "3"],
    ["warn", "1", "3"],
  ]);
});
