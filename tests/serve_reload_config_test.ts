/** What a reload applies: ConfigReloader over a real planner and the fake AWS, and the real serve. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createAwsSource } from "../src/aws/aws_source.ts";
import { ConfigReloader, type ReloadInputs } from "../src/cli/serve_reload.ts";
import type { SharedSource } from "../src/serve/shared_source.ts";
import { startFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, resourceAt, withEnv } from "./helpers/aws.ts";
import { silent } from "./helpers/serve_reload_fixture.ts";
import { scratch, ServeProcess, until } from "./helpers/serve_process.ts";

const DEMO = new URL("../examples/demo/", import.meta.url).pathname;
const DEMO_CONFIG = Deno.readTextFileSync(join(DEMO, "config.yaml"));

/** A scratch config file and the inputs of a reloader over the demo inventory. */
async function demoReloader(text: string) {
  const dir = await Deno.makeTempDir({ prefix: "reload-" });
  const file = join(dir, "config.yaml");
  await Deno.writeTextFile(file, text);
  const inputs: ReloadInputs = {
    configFile: file,
    flags: { inventory: [join(DEMO, "inventory")] },
    schedule: {},
    io: { awsSource: () => Promise.reject(new Error("no AWS in this test")) },
    log: silent,
  };
  return { dir, file, inputs };
}

Deno.test("ConfigReloader: a valid change applies from the next scan; a broken file changes nothing", async () => {
  const { dir, file, inputs } = await demoReloader(DEMO_CONFIG);
  const reloader = await ConfigReloader.open(inputs);
  try {
    const first = await reloader.scan(new AbortController().signal);
    assert.deepEqual(first.requiredTags, ["environment", "product", "owner", "cost_center"]);
    assert.equal(reloader.schedule.description, "every 5 minutes");

    await Deno.writeTextFile(
      file,
      DEMO_CONFIG.replace("  - cost_center\n", "") + "refresh_interval: 600\n",
    );
    const r = await reloader.reload();
    assert.equal(r.ok, true);
    assert.equal(reloader.schedule.description, "every 10 minutes", "the schedule at once");
    assert.ok(reloader.live.staged !== null);
    assert.equal(
      reloader.live.current.config.requiredTags.length,
      4,
      "the data's config until then",
    );
    const second = await reloader.scan(new AbortController().signal);
    assert.deepEqual(second.requiredTags, ["environment", "product", "owner"]);
    assert.equal(reloader.live.staged, null);

    await Deno.writeTextFile(file, DEMO_CONFIG.replace("REQUIRED_TAGS:", "REQUIRED_TAGZ:"));
    const broken = await reloader.reload();
    assert.equal(broken.ok, false);
    if (broken.ok) return;
    assert.ok(broken.error.startsWith(`${file}:`), broken.error);
    assert.match(broken.error, /REQUIRED_TAGZ/);
    assert.ok(!broken.error.includes("\n"), broken.error);
    assert.equal(reloader.live.staged, null);
    assert.equal(reloader.schedule.description, "every 10 minutes");
    const third = await reloader.scan(new AbortController().signal);
    assert.deepEqual(third.requiredTags, ["environment", "product", "owner"]);

    await Deno.writeTextFile(file, "refresh_interval: 90\n" + DEMO_CONFIG);
    const badInterval = await reloader.reload();
    assert.equal(badInterval.ok, false);
    assert.match(!badInterval.ok ? badInterval.error : "", /refresh_interval/);
  } finally {
    await reloader.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ConfigReloader: an unchanged file, or one changed back before a scan, builds nothing", async () => {
  const { dir, file, inputs } = await demoReloader(DEMO_CONFIG);
  const reloader = await ConfigReloader.open(inputs);
  try {
    const planner = reloader.live.current.planner;
    assert.equal((await reloader.reload()).ok, true);
    assert.equal(reloader.live.staged, null, "same config: nothing staged");
    await Deno.writeTextFile(file, DEMO_CONFIG.replace("  - cost_center\n", ""));
    assert.equal((await reloader.reload()).ok, true);
    assert.ok(reloader.live.staged !== null);
    await Deno.writeTextFile(file, DEMO_CONFIG + "\n# a comment changes no setting\n");
    assert.equal((await reloader.reload()).ok, true);
    assert.equal(reloader.live.staged, null, "back to the config in use: unstaged");
    await reloader.scan(new AbortController().signal);
    assert.equal(reloader.live.current.planner, planner, "the same planner all along");
  } finally {
    await reloader.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ConfigReloader (fake AWS): keeps the AWS source for a rules change, replaces it for an AWS one", async () => {
  const A = "111111111111";
  const resources = Array.from({ length: 30 }, (_, i) => resourceAt(A, "us-east-1", i));
  const fake = await startFakeAws({ inventory: { [A]: { "us-east-1": resources } } });
  const dir = await Deno.makeTempDir({ prefix: "reload-aws-" });
  const file = join(dir, "config.yaml");
  const v1 = configYaml({ accounts: { [A]: ["us-east-1"] }, endpointUrl: fake.url });
  const opened: ReturnType<typeof createAwsSource>[] = [];
  const inputs: ReloadInputs = {
    configFile: file,
    flags: {},
    schedule: {},
    io: {
      awsSource: (c, log) => {
        const source = createAwsSource(c, log);
        opened.push(source);
        return Promise.resolve(source);
      },
    },
    log: silent,
  };
  const signal = new AbortController().signal;
  try {
    await withEnv(
      { ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined },
      async () => {
        await Deno.writeTextFile(file, v1);
        const reloader = await ConfigReloader.open(inputs);
        try {
          await reloader.scan(signal);
          const kept = reloader.live.current.source as SharedSource;
          // Only the rules change: same source, same session (one AssumeRole).
          await Deno.writeTextFile(file, v1.replace('"environment", ', ""));
          assert.equal((await reloader.reload()).ok, true);
          const rules = await reloader.scan(signal);
          assert.deepEqual(rules.requiredTags, ["owner"]);
          assert.equal(reloader.live.current.source, kept);
          assert.equal(opened.length, 1);
          assert.equal(fake.stats.calls.AssumeRole, 1);
          // An AWS setting changes: a new source, with its own session; the old one closed.
          await Deno.writeTextFile(file, v1.replace('"environment", ', "") + "max_attempts: 4\n");
          assert.equal((await reloader.reload()).ok, true);
          assert.equal(kept.closed, false, "still the current scan's until the next scan");
          await reloader.scan(signal);
          assert.notEqual(reloader.live.current.source, kept);
          assert.equal(kept.closed, true);
          assert.equal(opened.length, 2);
          assert.equal(fake.stats.calls.AssumeRole, 2);
          // API counters carry on across the change: 3 scans, one page each.
          assert.equal(reloader.live.apiTotals().GetResources.requests, 3);
          assert.equal(fake.stats.calls.GetResources, 3);
        } finally {
          await reloader.close();
        }
        assert.ok((reloader.live.current.source as SharedSource).closed, "closed at the end");
      },
    );
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve reloads its config on SIGHUP and POST /-/reload, keeps the old one when broken", async () => {
  const dir = await scratch();
  const file = join(dir, "config.yaml");
  await Deno.writeTextFile(file, DEMO_CONFIG);
  let serve: ServeProcess | undefined;
  const tagged = (text: string, tag: string) => text.includes(`tag="${tag}"`);
  try {
    serve = await ServeProcess.start([
      ...["--config", file, "--inventory", join(DEMO, "inventory"), "--web.enable-lifecycle"],
    ]);
    await serve.waitReady();
    assert.ok(tagged(await serve.text("/metrics"), "cost_center"));

    await Deno.writeTextFile(file, DEMO_CONFIG.replace("  - cost_center\n", ""));
    await serve.rescan(); // SIGHUP, and the scan it starts
    let metrics = await serve.text("/metrics");
    assert.ok(!tagged(metrics, "cost_center"), "the new config was scanned");
    assert.match(metrics, /^aws_tag_exporter_config_last_reload_successful 1$/m);
    assert.match(serve.stderr, /level=info msg="config reloaded; it applies from the next scan"/);

    await Deno.writeTextFile(file, DEMO_CONFIG.replace("REQUIRED_TAGS:", "REQUIRED_TAGZ:"));
    await serve.rescan(); // SIGHUP still scans, with the config in use
    metrics = await serve.text("/metrics");
    assert.match(metrics, /^aws_tag_exporter_config_last_reload_successful 0$/m);
    assert.ok(!tagged(metrics, "cost_center") && tagged(metrics, "owner"), "the last good config");
    const failed = serve.stderr.split("\n").filter((l) => l.includes("config reload failed"));
    assert.equal(failed.length, 1, serve.stderr);
    assert.ok(failed[0].includes(file) && failed[0].includes("REQUIRED_TAGZ"), failed[0]);

    await Deno.writeTextFile(file, DEMO_CONFIG);
    const before = (await serve.status()).scans.completed;
    const res = await serve.get("/-/reload", { method: "POST" });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    await until(
      "the reload's scan",
      async () => (await serve!.status()).scans.completed > before ? true : undefined,
    );
    metrics = await serve.text("/metrics");
    assert.ok(tagged(metrics, "cost_center"));
    assert.match(metrics, /^aws_tag_exporter_config_last_reload_successful 1$/m);
    assert.equal(await serve.code("/-/reload"), 405, "GET is not a reload");
    assert.equal(await serve.stop(), 0);
    serve = undefined;
  } finally {
    await serve?.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});
