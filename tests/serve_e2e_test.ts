/** `serve` as it runs in production, over the demo inventory and the fake AWS: metrics, rescans. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, resourceAt } from "./helpers/aws.ts";
import { DENO_DIR } from "./helpers/deno_dir.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { metricLine } from "./helpers/serve_e2e_fixture.ts";
import { scratch, ServeProcess } from "./helpers/serve_process.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DEMO = join(ROOT, "examples/demo");

Deno.test("serve (inventory): ready, correct metrics, failed target, rescans drop removed resources, SIGTERM exits 0", async () => {
  const dir = await scratch();
  let serve: ServeProcess | undefined;
  try {
    const inv = join(dir, "inventory");
    await copyDir(join(DEMO, "inventory"), inv);
    const missing = join(inv, "012345678901/eu-west-1.json");
    await Deno.remove(missing);
    serve = await ServeProcess.start([
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      inv,
    ]);
    await serve.waitReady();

    // A failed target: /health 503 naming it, and / says why.
    const health = await serve.get("/health");
    assert.equal(health.status, 503);
    const body = await health.json();
    assert.deepEqual(
      body.failed_targets.map((
        t: { region: string; error_code: string },
      ) => [t.region, t.error_code]),
      [["eu-west-1", "NoInventory"]],
    );
    const status = await (await serve.get("/")).json();
    const failed = status.data.targets.find((t: { ok: boolean }) => !t.ok);
    assert.equal(failed.account_id, "012345678901");
    assert.match(failed.error, /no inventory file covers account 012345678901 region eu-west-1/);
    assert.equal(await serve.code("/livez"), 200);

    // /metrics matches what `scan` computes from the same inventory.
    const metrics = await serve.text("/metrics");
    const scan = await runCli(await taskFlags("scan"), [
      "scan",
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      inv,
    ]);
    assert.equal(scan.code, 3, scan.stderr);
    const target = /account_id="123456789012",account_name="production",region="us-east-1"/;
    const served = metricLine(metrics, "compliance_percentage", target);
    assert.ok(served);
    assert.equal(served, metricLine(scan.stdout, "compliance_percentage", target));
    assert.match(
      metrics,
      /aws_tag_exporter_up\{account_id="012345678901",[^}]*region="eu-west-1"\} 0/,
    );

    // Restore the missing file and remove one non-compliant resource; rescan.
    await Deno.copyFile(join(DEMO, "inventory/012345678901/eu-west-1.json"), missing);
    const file = join(inv, "123456789012/us-east-1.json");
    const doc = JSON.parse(await Deno.readTextFile(file));
    const gone = (doc.ResourceTagMappingList as { ResourceARN: string }[])
      .map((r) => r.ResourceARN)
      .find((arn) => metrics.includes(`resource_arn="${arn}"`))!;
    assert.ok(gone);
    doc.ResourceTagMappingList = doc.ResourceTagMappingList.filter((r: { ResourceARN: string }) =>
      r.ResourceARN !== gone
    );
    await Deno.writeTextFile(file, JSON.stringify(doc));
    await serve.rescan();
    const after = await serve.text("/metrics");
    assert.ok(!after.includes(gone), "the removed resource's series are gone");
    assert.match(after, /aws_tag_exporter_scans_total\{result="success"\} 1/);
    assert.match(after, /aws_tag_exporter_scans_total\{result="partial"\} 1/);
    assert.equal(await serve.code("/health"), 200);
    assert.equal(await serve.stop("SIGTERM"), 0);
    assert.match(serve.stderr, /msg="shutting down" signal=SIGTERM[\s\S]*msg=stopped/);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve (fake AWS): scans over the wire, drops a deleted resource on rescan, exits 0", async () => {
  const A = "111111111111";
  const resources = Array.from({ length: 40 }, (_, i) => resourceAt(A, "us-east-1", i));
  const fake = await startFakeAws({ inventory: { [A]: { "us-east-1": resources } } });
  const dir = await scratch();
  let serve: ServeProcess | undefined;
  try {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      configYaml({ accounts: { [A]: ["us-east-1"] }, endpointUrl: fake.url }),
    );
    const home = join(dir, "home");
    await Deno.mkdir(home);
    // Both take Prometheus durations.
    serve = await ServeProcess.start(["--config", config, "--shutdown-grace", "30s"], {
      clearEnv: true,
      env: { ...BASE_ENV, HOME: home, DENO_DIR, AWS_TAG_EXPORTER_REFRESH_INTERVAL: "10m" },
    });
    await serve.waitReady();
    const first = await serve.text("/metrics");
    assert.match(first, /resources_scanned_total\{account_id="111111111111",[^}]*\} 40/);
    assert.match(first, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 1/);
    const doc = await (await serve.get("/")).json();
    assert.equal(doc.config.schedule, "every 10 minutes", "the env var sets the interval");
    const victim = resources.find((r) => first.includes(`resource_arn="${r.ResourceARN}"`))!;
    resources.splice(resources.indexOf(victim), 1);
    await serve.rescan();
    const second = await serve.text("/metrics");
    assert.match(second, /resources_scanned_total\{account_id="111111111111",[^}]*\} 39/);
    assert.ok(!second.includes(victim.ResourceARN));
    // API counters accumulate across scans in the long-lived self registry,
    // taken from the one source's totals (not its totals summed per scan).
    assert.match(second, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 2\n/);
    // One AWS source for the process: the role's session was reused by the rescan.
    assert.equal(fake.stats.calls.AssumeRole, 1);
    assert.match(second, /aws_tag_exporter_api_requests_total\{api="AssumeRole"\} 1\n/);
    for (const secret of fake.stats.issuedSecrets) assert.ok(!serve.stderr.includes(secret));
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}
