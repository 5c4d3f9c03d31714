/** Shared fixture of the live AWS source tests: accounts, regions, config, exact-count checks. */

import assert from "node:assert/strict";
import type { ScanResult, TargetResult } from "../../src/model.ts";
import type { FakeAws } from "../fake_aws/mod.ts";
import { type ConfigSpec, expectedCounts, makeConfig } from "./aws.ts";

export const A = "111111111111";
export const B = "222222222222";
export const C = "333333333333";
export const E1 = "us-east-1";
export const W1 = "eu-west-1";

/** Config for the accounts and regions of `sizes`, pointed at the fake. */
export function configFor(
  fake: FakeAws,
  sizes: Record<string, Record<string, number>>,
  spec: Partial<ConfigSpec> = {},
) {
  const accounts = Object.fromEntries(Object.entries(sizes).map(([a, r]) => [a, Object.keys(r)]));
  return makeConfig({ accounts, endpointUrl: fake.url, ...spec });
}

/** The result of `account`/`region` in `result`; fails the test when there is none. */
export function target(result: ScanResult, account: string, region: string): TargetResult {
  const t = result.targets.find((t) => t.accountId === account && t.region === region);
  assert.ok(t, `no result for ${account}/${region}`);
  return t;
}

/** Every ok target's counts equal what the engine computes from the inventory itself. */
export function assertExact(
  config: ReturnType<typeof makeConfig>,
  result: ScanResult,
  sizes: Record<string, Record<string, number>>,
  failed: string[] = [],
) {
  for (const t of result.targets) {
    const key = `${t.accountId}/${t.region}`;
    if (failed.includes(key)) continue;
    assert.equal(t.ok, true, `${key}: ${JSON.stringify(t.error)}`);
    assert.deepEqual(
      t.counts,
      expectedCounts(config, t.accountId, t.region, sizes[t.accountId][t.region]),
    );
  }
}

/** `chunks` joined into one string. */
export async function text(chunks: AsyncIterable<string> | Iterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}
