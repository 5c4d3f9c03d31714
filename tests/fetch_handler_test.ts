/**
 * The shared fetch handler under network trouble, with real SDK clients
 * against the fake: answers cut off mid-body are retried as node:http's
 * ECONNRESET was, and every attempt is counted.
 */
import assert from "node:assert/strict";
import { ApiStats } from "../src/aws/api_stats.ts";
import { ClientFactory } from "../src/aws/client_factory.ts";
import { resourcePages } from "../src/aws/resource_pages.ts";
import { silentLogger } from "../src/log.ts";
import type { ResourceRecord } from "../src/model.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, inventoryOf, makeConfig } from "./helpers/aws.ts";
import { startCuttingRelay } from "./helpers/forward_proxy.ts";

const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const credentials = () =>
  Promise.resolve({
    accessKeyId: BASE_ENV.AWS_ACCESS_KEY_ID,
    secretAccessKey: BASE_ENV.AWS_SECRET_ACCESS_KEY,
  });

/** Every record of the target, paged through a tagging client of `factory`. */
async function allRecords(factory: ClientFactory): Promise<ResourceRecord[]> {
  const client = factory.tagging({ region: REGION, credentials, key: ACCOUNT });
  const records: ResourceRecord[] = [];
  const signal = AbortSignal.timeout(20_000);
  for await (const page of resourcePages(client, signal, silentLogger, {})) records.push(...page);
  return records;
}

Deno.test("an answer cut off mid-body is retried, and the retry counted", async () => {
  const inventory = inventoryOf({ [ACCOUNT]: { [REGION]: 250 } });
  await withFakeAws({ inventory, baseAccountId: ACCOUNT }, async (fake) => {
    const relay = startCuttingRelay(new URL(fake.url).host, 1);
    try {
      const config = makeConfig({
        accounts: { [ACCOUNT]: [REGION] },
        endpointUrl: relay.url,
        extra: "max_attempts: 3",
      });
      const stats = new ApiStats();
      const records = await allRecords(new ClientFactory(config.aws, stats));
      assert.equal(records.length, 250);
      // 250 resources are 3 pages; the first answer was cut, so 4 attempts, 1 a retry.
      assert.deepEqual(stats.snapshot().GetResources, {
        requests: 4,
        throttles: 0,
        retries: 1,
        errors: 0,
      });
      assert.equal(relay.stats.connections, 2, "the cut connection, then one kept alive");
    } finally {
      await relay.close();
    }
  });
});
