/**
 * `untagged_resources` when Resource Explorer cannot answer for an account:
 * no index, no default view, a view without tags, access denied, an unknown
 * view, throttling, a timeout and a LOCAL index. Each keeps the targets'
 * GetResources numbers exact (worked out from the inventory generator), sets
 * `aws_tag_exporter_untagged_up 0` with the reason, and logs one warning per
 * account that names the fix; the healthy account is unaffected.
 */

import assert from "node:assert/strict";
import { exposition } from "../src/metrics/exposition.ts";
import { type FakeAwsOptions, type FakeExplorerIndex, withFakeAws } from "./fake_aws/mod.ts";
import { expectedCounts, inventoryOf, makeConfig, scan } from "./helpers/aws.ts";
import { expectedAdditions, neverTaggedIn, targetOf, total } from "./helpers/untagged.ts";

const A = "111111111111";
const B = "222222222222";
const E1 = "us-east-1";
const W1 = "eu-west-1";
const SIZES = { [A]: { [E1]: 130, [W1]: 40 }, [B]: { [E1]: 25 } };

interface Mode {
  name: string;
  /** A's index in us-east-1 (undefined: none). */
  index?: FakeExplorerIndex | "AGGREGATOR" | "LOCAL";
  extra?: string;
  fake?: Partial<FakeAwsOptions>;
  explorer?: Record<string, unknown>;
  code: string;
  /** What the reason must say (the fix). */
  fix: RegExp;
  /** Regions of A that stay covered. */
  covered?: string[];
  /**
   * Scan A alone: a view ARN names one account's view (its id differs per
   * account), and a slow call cannot be aimed at one account.
   */
  alone?: boolean;
}

const VIEWS = { type: "AGGREGATOR" as const, views: [{ name: "notags", includeTags: false }] };

const MODES: Mode[] = [
  {
    name: "no index in the index region",
    code: "ResourceNotFoundException",
    fix: /no Resource Explorer index in us-east-1: create the aggregator index/,
  },
  {
    name: "no default view",
    index: { type: "AGGREGATOR", defaultView: null },
    code: "UnauthorizedException",
    fix: /no default view in us-east-1.*associate-default-view/,
  },
  {
    name: "a view without tags (400)",
    index: VIEWS,
    extra: `view_arn: "VIEW:notags"`,
    alone: true,
    code: "ValidationException",
    fix: /view does not include tags: create a view with --included-properties Name=tags/,
  },
  {
    name: "an unknown view (404)",
    index: VIEWS,
    extra: `view_arn: "VIEW:gone"`,
    alone: true,
    code: "ResourceNotFoundException",
    fix: /the view was not found: check untagged_resources.view_arn/,
  },
  {
    name: "access denied (403)",
    index: "AGGREGATOR",
    explorer: { deniedAccounts: [A] },
    code: "AccessDeniedException",
    fix: /grant resource-explorer-2:ListResources/,
  },
  {
    name: "throttled past every retry (429)",
    index: "AGGREGATOR",
    explorer: {
      faults: [{ op: "ListResources", account: A, code: "ThrottlingException", times: Infinity }],
    },
    code: "ThrottlingException",
    fix: /about 3 calls per second/,
  },
  {
    name: "a pass that does not answer in time",
    index: "AGGREGATOR",
    fake: { slowCalls: [{ action: "ListResources", latencyMs: 30_000 }] },
    alone: true,
    code: "UntaggedTimeout",
    fix: /no complete answer within 1s/,
  },
  {
    name: "a LOCAL index covers only its own region",
    index: "LOCAL",
    code: "LocalIndex",
    fix: /is LOCAL and sees only us-east-1 \(make it the aggregator/,
    covered: [E1],
  },
];

function options(mode: Mode): FakeAwsOptions {
  const indexesA: Record<string, FakeExplorerIndex | "AGGREGATOR" | "LOCAL"> = {};
  if (mode.index) indexesA[E1] = mode.index;
  if (mode.index === "LOCAL") indexesA[W1] = "LOCAL";
  return {
    inventory: inventoryOf(SIZES),
    resourceExplorer: {
      indexes: { [A]: indexesA, [B]: { [E1]: "AGGREGATOR" } },
      neverTagged: {
        [A]: { [E1]: neverTaggedIn(A, E1, 6), [W1]: neverTaggedIn(A, W1, 5) },
        [B]: { [E1]: neverTaggedIn(B, E1, 3) },
      },
      rateLimitPerSecond: 0,
      ...mode.explorer,
    },
    ...mode.fake,
  };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

/** The `untagged_up` sample of a target of this file's config. */
function up(account: string, region: string, value: 0 | 1): string {
  const labels = `account_id="${account}",account_name="acct-${
    account.slice(0, 3)
  }",region="${region}"`;
  return `\naws_tag_exporter_untagged_up{${labels}} ${value}\n`;
}

for (const mode of MODES) {
  Deno.test(`untagged degrades: ${mode.name} -> GetResources exact, untagged_up 0, the fix logged`, async () => {
    await withFakeAws(options(mode), async (fake) => {
      const extra = (mode.extra ?? "").replace(
        /VIEW:(\w+)/,
        (_, name) => fake.explorer.viewArn(A, E1, name).replace(`:${A}:`, ":{account_id}:"),
      );
      const lines = ["untagged_resources:", "  enabled: true", "  index_region: us-east-1"];
      if (extra) lines.push(`  ${extra}`);
      if (mode.code === "UntaggedTimeout") lines.push("target_timeout_seconds: 2");
      if (mode.code === "ThrottlingException") lines.push("max_attempts: 2");
      const accounts: Record<string, string[]> = mode.alone
        ? { [A]: [E1, W1] }
        : { [A]: [E1, W1], [B]: [E1] };
      const config = makeConfig({ accounts, endpointUrl: fake.url, extra: lines.join("\n") });
      const { result, logs } = await scan(config);
      const prom = await text(
        exposition(result, { format: "prometheus", detail: config.detailMetrics }),
      );
      for (const region of [E1, W1]) {
        const t = targetOf(result, A, region);
        assert.ok(t.ok, `${region}: ${JSON.stringify(t.error)}`);
        const covered = mode.covered?.includes(region) ?? false;
        const added = covered ? total(expectedAdditions(fake, A, region)) : 0;
        const exact = expectedCounts(
          config,
          A,
          region,
          SIZES[A][region as keyof typeof SIZES[typeof A]],
        );
        if (covered) {
          assert.equal(t.counts.scanned, exact.scanned + added);
          assert.deepEqual(t.untagged, { up: true, added });
          assert.ok(prom.includes(up(A, region, 1)));
          continue;
        }
        assert.deepEqual(t.counts, exact, `${region}: GetResources numbers stay exact`);
        assert.equal(t.untagged?.up, false);
        assert.ok(t.untagged && !t.untagged.up);
        assert.equal(t.untagged.error.code, mode.code);
        assert.match(t.untagged.error.message, mode.fix);
        assert.ok(prom.includes(up(A, region, 0)), `${region} up 0`);
        assert.ok(
          !prom.includes(
            `resources_untagged{account_id="${A}",account_name="acct-111",region="${region}"}`,
          ),
        );
      }
      const healthy = mode.alone ? null : targetOf(result, B, E1);
      if (healthy) {
        assert.deepEqual(healthy.ok && healthy.untagged, {
          up: true,
          added: total(expectedAdditions(fake, B, E1)),
        });
      }
      const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === "warn");
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.equal(warnings[0].account_id, A);
      assert.equal(warnings[0].error_code, mode.code);
      assert.match(warnings[0].error, mode.fix);
    });
  });
}
