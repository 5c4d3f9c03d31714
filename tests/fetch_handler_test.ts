/**
 * The shared fetch handler under network trouble, with real SDK clients
 * against the fake: answers cut off mid-body are retried as node:http's
 * ECONNRESET was, and every attempt is counted; an answer larger than any
 * AWS answer fails its call without being read whole.
 */
import assert from "node:assert/strict";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { ApiStats } from "../src/aws/api_stats.ts";
import { ClientFactory } from "../src/aws/client_factory.ts";
import { FetchHandler } from "../src/aws/fetch_handler.ts";
import { TaggingProtocol } from "../src/aws/tagging_protocol.ts";
import { TargetError } from "../src/errors.ts";
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

Deno.test("an answer over the size bound fails its call as InvalidResponse, unretried", async () => {
  const max = 64 * 1024;
  // A well-formed GetResources answer, just too big: 100,000 bytes of padding.
  const body = JSON.stringify({
    ResourceTagMappingList: [],
    PaginationToken: "",
    x: "a".repeat(1e5),
  });
  for (const chunked of [false, true]) {
    const rawAnswers = [{ action: "GetResources" as const, body, chunked }];
    const inventory = inventoryOf({ [ACCOUNT]: { [REGION]: 3 } });
    await withFakeAws({ inventory, baseAccountId: ACCOUNT, rawAnswers }, async (fake) => {
      const client = new ResourceGroupsTaggingAPIClient({
        region: REGION,
        endpoint: fake.url,
        credentials,
        maxAttempts: 3,
        protocol: TaggingProtocol,
        // Typed against the SDK's AbortSignal; the client factory passes it the same way.
        requestHandler: new FetchHandler(null, max) as never,
      });
      const stats = new ApiStats();
      stats.install(client.middlewareStack);
      const pages = resourcePages(client, AbortSignal.timeout(20_000), silentLogger, {});
      await assert.rejects(pages.next(), (e: TargetError) => {
        assert.equal(e.code, "InvalidResponse", e.message);
        assert.match(e.message, /^GetResources failed: an answer of more than 65536 bytes from /);
        return true;
      });
      assert.equal(stats.snapshot().GetResources.requests, 1, `chunked: ${chunked}`);
    });
  }
});

Deno.test("a call's requestTimeout ends a hung attempt as a TimeoutError, which the SDK retries", async () => {
  const inventory = inventoryOf({ [ACCOUNT]: { [REGION]: 3 } });
  // The first GetResources hangs (until the fake closes); the retry is answered.
  const slowCalls = [{ action: "GetResources", latencyMs: 60_000 }];
  await withFakeAws({ inventory, baseAccountId: ACCOUNT, slowCalls }, async (fake) => {
    const client = new ResourceGroupsTaggingAPIClient({
      region: REGION,
      endpoint: fake.url,
      credentials,
      maxAttempts: 3,
      requestHandler: new FetchHandler() as never,
    });
    const out = await client.send(new GetResourcesCommand({}), { requestTimeout: 300 });
    assert.equal(out.ResourceTagMappingList?.length, 3);
    assert.equal(out.$metadata.attempts, 2);
  });
});

Deno.test("an answer that stalls mid-body ends at the call's abort, and its connection is closed", async () => {
  // A peer that sends the head and part of the body, then nothing, until the client hangs up.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const hungUp = (async () => {
    const conn = await listener.accept();
    const buf = new Uint8Array(64 * 1024);
    await conn.read(buf);
    const head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\n" +
      "content-length: 1000\r\n\r\n";
    await conn.write(new TextEncoder().encode(head + '{"ResourceTagMappingList": ['));
    while ((await conn.read(buf).catch(() => null)) !== null) { /* until the client closes */ }
    conn.close();
    return true;
  })();
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const client = new ResourceGroupsTaggingAPIClient({
      region: REGION,
      endpoint: `http://127.0.0.1:${port}`,
      credentials,
      maxAttempts: 3,
      requestHandler: new FetchHandler() as never,
    });
    const reason = new Error("target timed out");
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(reason), 300);
    await assert.rejects(
      client.send(new GetResourcesCommand({}), { abortSignal: controller.signal }),
      (e: Error) => e.name === "AbortError" && e.cause === reason,
    );
    clearTimeout(timer);
    let wait: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<false>((r) => wait = setTimeout(() => r(false), 5_000));
    const closed = await Promise.race([hungUp, gaveUp]);
    clearTimeout(wait);
    assert.equal(closed, true, "the peer saw the connection closed within 5 s");
  } finally {
    listener.close();
  }
});
