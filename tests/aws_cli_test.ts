/**
 * `scan` as a user runs it: a subprocess with exactly the permissions of the
 * `scan` task in deno.json, a clean environment holding only base credentials
 * and an empty HOME, against the fake AWS. Its output must pass
 * `promtool check metrics`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, inventoryOf } from "./helpers/aws.ts";
import { DENO_DIR } from "./helpers/deno_dir.ts";
import { promtoolProblems } from "./helpers/promtool.ts";

const A = "111111111111";
const B = "222222222222";
const SIZES = { [A]: { "us-east-1": 230, "eu-west-1": 12 }, [B]: { "us-east-1": 57 } };
const ACCOUNTS = { [A]: ["us-east-1", "eu-west-1"], [B]: ["us-east-1"] };
/** deno.json's `scan` task, minus the script. */
const SCAN_PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env=AWS_*,HOME,USERPROFILE,HOMEPATH,HOMEDRIVE,NO_COLOR",
  "--ignore-env",
  "--allow-sys=osRelease",
];
const decoder = new TextDecoder();

/**
 * Runs `scan` on ACCOUNTS against a fresh fake holding SIZES (plus `faults`),
 * in a scratch dir it removes; returns the outcome and the fake's records.
 */
function runScanCli(faults: Omit<FakeAwsOptions, "inventory"> = {}) {
  return withFakeAws({ inventory: inventoryOf(SIZES), ...faults }, async (fake) => {
    const dir = await Deno.makeTempDir();
    try {
      const config = join(dir, "config.yaml");
      const output = join(dir, "metrics.prom");
      const home = join(dir, "home");
      await Deno.mkdir(home, { recursive: true });
      await Deno.writeTextFile(config, configYaml({ accounts: ACCOUNTS, endpointUrl: fake.url }));
      const main = new URL("../main.ts", import.meta.url).pathname;
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--frozen",
          "--cached-only",
          ...SCAN_PERMISSIONS,
          main,
          "scan",
          "--config",
          config,
          "--output",
          output,
        ],
        clearEnv: true,
        env: { ...BASE_ENV, HOME: home, DENO_DIR, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = decoder.decode(out.stderr);
      const metrics = await Deno.readTextFile(output).catch(() => "");
      return { code: out.code, stderr, metrics, stats: fake.stats };
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("cli: scan with the task's permissions exits 0, writes metrics promtool accepts", async () => {
  const run = await runScanCli();
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.metrics,
    /^resources_scanned_total\{account_id="111111111111",.*region="us-east-1"\} 230$/m,
  );
  assert.match(run.metrics, /^aws_tag_exporter_api_requests_total\{api="GetResources"\} 5$/m);
  assert.match(run.metrics, /^aws_tag_exporter_api_requests_total\{api="AssumeRole"\} 2$/m);
  assert.equal(run.stats.calls.AssumeRole, 2);
  assert.deepEqual(await promtoolProblems(run.metrics), []);
  for (const secret of run.stats.issuedSecrets) {
    assert.ok(!run.metrics.includes(secret) && !run.stderr.includes(secret));
  }
});

Deno.test("cli: scan exits 3 when a target fails and still writes the rest", async () => {
  const run = await runScanCli({ deniedAccounts: [B] });
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /target failed.*account_id=222222222222.*error_code=AccessDenied/);
  assert.match(run.metrics, /^aws_tag_exporter_up\{account_id="222222222222",[^}]*\} 0$/m);
  assert.match(
    run.metrics,
    /^resources_scanned_total\{account_id="111111111111",.*"eu-west-1"\} 12$/m,
  );
  assert.doesNotMatch(run.metrics, /^resources_scanned_total\{account_id="222222222222"/m);
  assert.deepEqual(await promtoolProblems(run.metrics), []);
});
