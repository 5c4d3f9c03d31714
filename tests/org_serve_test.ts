/**
 * Discovery in serve: the real planner, live source and refresher against
 * the fake organisation, served through the real handler (no socket) and,
 * once, through runServe. Each scan rediscovers: an account added to the
 * fake appears, a suspended one disappears with its series, and a failed
 * discovery keeps the last list with /health 503 and discovery_up 0.
 */
import assert from "node:assert/strict";
import { createAwsSource } from "../src/aws/aws_source.ts";
import type { Config } from "../src/config/model.ts";
import { parseConfig } from "../src/config/parse.ts";
import { silentLogger } from "../src/log.ts";
import { ScanPlanner } from "../src/scan/plan.ts";
import { createHandler } from "../src/serve/handler.ts";
import { Refresher } from "../src/serve/refresher.ts";
import { intervalSchedule } from "../src/serve/schedule.ts";
import { SelfMetrics } from "../src/serve/self_metrics.ts";
import { runServe } from "../src/serve/server.ts";
import { type FakeAws, type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, expectedCounts, lazyInventory, withEnv } from "./helpers/aws.ts";
import { MGMT, OU_EU } from "./helpers/fake_org.ts";
import { e2eConfigYaml, e2eOptions, expectedTargets } from "./helpers/org_setup.ts";

const ENV = { ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined };

function openPlanner(config: Config): Promise<ScanPlanner> {
  return ScanPlanner.open(config, {}, "metrics", {
    log: silentLogger,
    awsSource: (c, log) => Promise.resolve(createAwsSource(c, log)),
    keepLastList: true,
  });
}

/** A refresher and handler wired as runServe wires them, over a real planner. */
function serveOf(planner: ScanPlanner, config: Config) {
  const self = new SelfMetrics(Date.now());
  const refresher = new Refresher({
    scan: (signal) => planner.run({ signal }),
    apiTotals: () => planner.apiTotals(),
    discovery: () => planner.discoveryReport(),
    detail: config.detailMetrics,
    self,
    pause: () => Promise.resolve(),
  });
  const handler = createHandler({
    refresher,
    self,
    auth: null,
    status: {
      config,
      schedule: intervalSchedule(300),
      source: "aws",
      web: { tls: false, basicAuth: false },
      startedAt: Date.now(),
      livenessIntervals: 3,
      maxScanSeconds: () => planner.maxScanSeconds(),
    },
  });
  const get = (path: string, headers: HeadersInit = {}) =>
    handler(new Request(`http://exporter${path}`, { headers }));
  return { refresher, get, text: async (path: string) => await (await get(path)).text() };
}

/** `account/region` of every `aws_tag_exporter_up` series in an exposition. */
function upTargets(metrics: string): string[] {
  return [
    ...metrics.matchAll(
      /^aws_tag_exporter_up\{account_id="(\d+)",account_name="[^"]*",region="([^"]+)"\} 1$/gm,
    ),
  ]
    .map((m) => `${m[1]}/${m[2]}`);
}

function withServe<T>(
  opts: FakeAwsOptions,
  fn: (fake: FakeAws, s: ReturnType<typeof serveOf>, config: Config) => Promise<T>,
  yaml: (url: string) => string = (url) => e2eConfigYaml(url),
): Promise<T> {
  return withFakeAws(opts, (fake) =>
    withEnv(ENV, async () => {
      const config = parseConfig(yaml(fake.url), "serve-org.yaml");
      const planner = await openPlanner(config);
      try {
        return await fn(fake, serveOf(planner, config), config);
      } finally {
        await planner.close();
      }
    }));
}

Deno.test("serve rediscovers every scan (no matrix): a new account appears, a suspended one disappears with its series", async () => {
  const opts = e2eOptions();
  await withServe(opts, async (fake, s, config) => {
    assert.equal(await s.refresher.refresh("test"), "success");
    const first = await s.text("/metrics");
    const expected = (f: FakeAws) =>
      expectedTargets(f, { matrix: false }).map((t) => `${t.account_id}/${t.region}`);
    assert.deepEqual(upTargets(first), expected(fake));
    assert.match(first, /^aws_tag_exporter_discovery_up 1$/m);
    assert.match(first, /^aws_tag_exporter_accounts\{source="organization"\} 3$/m);
    assert.match(first, /^aws_tag_exporter_accounts\{source="config"\} 0$/m);

    fake.organization.addAccount({ Id: "999999999999", Name: "newcomer", parentId: OU_EU });
    opts.inventory["999999999999"] = {
      "eu-west-1": lazyInventory("999999999999", "eu-west-1", 33),
    };
    fake.organization.setAccountState("555555555555", "SUSPENDED");
    assert.equal(await s.refresher.refresh("test"), "success");
    const second = await s.text("/metrics");
    assert.deepEqual(upTargets(second), expected(fake));
    assert.ok(
      expected(fake).includes("999999999999/eu-west-1"),
      "the ground truth has the newcomer",
    );
    const counts = expectedCounts(config, "999999999999", "eu-west-1", 33);
    assert.match(
      second,
      new RegExp(
        `^resources_scanned_total\\{account_id="999999999999",account_name="newcomer",region="eu-west-1"\\} ${counts.scanned}$`,
        "m",
      ),
    );
    assert.ok(first.includes('account_id="555555555555"'));
    assert.ok(!second.includes('account_id="555555555555"'), "no series of the suspended account");
    assert.match(second, /^aws_tag_exporter_accounts\{source="organization"\} 3$/m);
    assert.equal((await s.get("/health")).status, 200);
  }, (url) => e2eConfigYaml(url, { matrix: false }));
});

Deno.test("serve keeps the last list when discovery fails: /health 503 with the reason, discovery_up 0", async () => {
  const opts = e2eOptions();
  await withServe(opts, async (fake, s) => {
    assert.equal(await s.refresher.refresh("test"), "success");
    const listed = upTargets(await s.text("/metrics"));
    opts.organization!.deniedCallers = [MGMT];
    fake.organization.addAccount({ Id: "999999999999", Name: "unseen", parentId: OU_EU });
    opts.inventory["999999999999"] = {};
    assert.equal(await s.refresher.refresh("test"), "success");
    const metrics = await s.text("/metrics");
    assert.deepEqual(upTargets(metrics), listed, "the last list, not the new account");
    assert.match(metrics, /^aws_tag_exporter_discovery_up 0$/m);
    const health = await s.get("/health");
    assert.equal(health.status, 503);
    const body = await health.json();
    assert.match(
      body.error,
      /^AWS Organizations discovery failed \(scanning the last list discovered\): Organizations ListAccountsForParent denied for the base credentials: it needs organizations:ListAccounts/,
    );
    assert.deepEqual(body.failed_targets, []);
    const status = await (await s.get("/")).json();
    assert.equal(status.discovery.organization.ok, false);
    assert.equal(status.discovery.organization.fallback, "last");
    assert.deepEqual(
      status.discovery.accounts.map((
        a: { account_id: string; source: string },
      ) => [a.account_id, a.source]),
      [["666666666666", "override"], ["888888888888", "matrix"], ["111111111111", "organization"], [
        "555555555555",
        "organization",
      ]],
    );
    const html = await (await s.get("/", { accept: "text/html" })).text();
    assert.match(
      html,
      /<th>AWS Organizations discovery<\/th><td>FAILED at [^<]*: Organizations ListAccountsForParent denied/,
    );
    assert.match(html, /<h2>Accounts of the last scan<\/h2>/);

    opts.organization!.deniedCallers = [];
    assert.equal(await s.refresher.refresh("test"), "success");
    assert.match(await s.text("/metrics"), /^aws_tag_exporter_discovery_up 1$/m);
    assert.ok(upTargets(await s.text("/metrics")).some((t) => t.startsWith("999999999999/")));
    assert.equal((await s.get("/health")).status, 200);
  });
});

Deno.test("runServe with a first discovery that fails and no matrix serves discovery_up 0 and /health 503", async () => {
  const opts = e2eOptions();
  opts.organization!.deniedCallers = [MGMT];
  await withFakeAws(opts, (fake) =>
    withEnv(ENV, async () => {
      const config = parseConfig(e2eConfigYaml(fake.url, { matrix: false }), "serve.yaml");
      const planner = await openPlanner(config);
      const stop = new AbortController();
      const listening = Promise.withResolvers<number>();
      const done = runServe({
        hostname: "127.0.0.1",
        port: 0,
        schedule: intervalSchedule(60),
        scan: (signal) => planner.run({ signal }),
        apiTotals: () => planner.apiTotals(),
        discovery: () => planner.discoveryReport(),
        detail: config.detailMetrics,
        status: {
          config,
          source: "aws",
          livenessIntervals: 3,
          maxScanSeconds: () => planner.maxScanSeconds(),
        },
        web: { tls: null, users: new Map() },
        shutdownGraceSeconds: 0,
        stop: stop.signal,
        onListen: (addr) => listening.resolve(addr.port),
      });
      try {
        const port = await listening.promise;
        const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
        for (;;) {
          const res = await get("/ready");
          await res.body?.cancel();
          if (res.status === 200) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const metrics = await (await get("/metrics")).text();
        assert.match(metrics, /^aws_tag_exporter_discovery_up 0$/m);
        assert.match(metrics, /^aws_tag_exporter_accounts\{source="organization"\} 0$/m);
        assert.deepEqual(upTargets(metrics), []);
        const health = await get("/health");
        assert.equal(health.status, 503);
        assert.match(
          (await health.json()).error,
          /scanning the aws_account_matrix accounts only\): Organizations ListAccountsForParent denied/,
        );
      } finally {
        stop.abort();
        assert.equal(await done, 0);
        await planner.close();
      }
    }));
});
