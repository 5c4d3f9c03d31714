/**
 * A failed TLS handshake with an AWS endpoint, over the wire: the fake AWS
 * served over TLS (a throwaway CA from openssl) behind a relay that counts
 * connections. The target fails with the documented `TlsError`, a hint that
 * says what fixes it (DENO_CERT for an unknown CA), no secret, and no retry:
 * a certificate does not change between attempts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { awsTargetError } from "../src/aws/aws_error.ts";
import { FetchHandler } from "../src/aws/fetch_handler.ts";
import { withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, inventoryOf } from "./helpers/aws.ts";
import { startRelay } from "./helpers/forward_proxy.ts";
import { peerTest } from "./helpers/peers.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { makeTestCa, openssl } from "./helpers/test_ca.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const A = "111111111111";
const REGION = "us-east-1";
const QUIET = { DENO_NO_UPDATE_CHECK: "1", AWS_EC2_METADATA_DISABLED: "true" };

Deno.test({
  name: "an endpoint whose CA is not trusted fails its target as TlsError with a DENO_CERT hint, " +
    "unretried; with DENO_CERT the scan succeeds",
  ...peerTest(openssl),
}, async () => {
  await withTempDir(async (dir) => {
    const ca = await makeTestCa(dir);
    const tls = { cert: ca.cert, key: ca.key };
    await withFakeAws({ inventory: inventoryOf({ [A]: { [REGION]: 5 } }), tls }, async (fake) => {
      const relay = startRelay(new URL(fake.url).host);
      try {
        const config = join(dir, "config.yaml");
        await Deno.writeTextFile(
          config,
          configYaml({
            accounts: { [A]: [REGION] },
            endpointUrl: `https://127.0.0.1:${relay.port}`,
            extra: "max_attempts: 3",
          }),
        );
        const flags = await taskFlags("scan");
        const scan = (env: Record<string, string>) =>
          runCli(
            flags,
            ["scan", "--config", config, "--log-format", "json", "--output", "/dev/null"],
            { env: { ...BASE_ENV, ...QUIET, ...env } },
          );
        const bad = await scan({});
        assert.equal(bad.code, 5, bad.stderr);
        const lines = bad.stderr.trimEnd().split("\n").map((l) => JSON.parse(l));
        const failed = lines.find((l) => l.msg === "target failed");
        assert.equal(failed.error_code, "TlsError");
        assert.equal(
          failed.error,
          `AssumeRole arn:aws:iam::${A}:role/TagReader failed: no TLS connection to ` +
            `127.0.0.1:${relay.port}: invalid peer certificate: UnknownIssuer; no CA it trusts ` +
            "signed the certificate: if a TLS-inspecting proxy or a private CA signs it, put " +
            "that CA's PEM file in DENO_CERT (docs/network.md)",
        );
        // One AssumeRole, one attempt: max_attempts 3 did not retry it.
        assert.equal(relay.stats.connections, 1);
        assert.equal(fake.stats.calls.AssumeRole, 0);
        assert.ok(!bad.stderr.includes(BASE_ENV.AWS_SECRET_ACCESS_KEY));

        const good = await scan({ DENO_CERT: ca.caFile });
        assert.equal(good.code, 0, good.stderr);
        assert.equal(fake.stats.calls.GetResources, 1);
      } finally {
        await relay.close();
      }
    });
  });
});

Deno.test("https:// to a plain-http endpoint fails as TlsError saying it does not speak TLS", async () => {
  await withFakeAws({ inventory: inventoryOf({ [A]: { [REGION]: 3 } }) }, async (fake) => {
    const relay = startRelay(new URL(fake.url).host);
    try {
      const client = new ResourceGroupsTaggingAPIClient({
        region: REGION,
        endpoint: `https://127.0.0.1:${relay.port}`,
        credentials: {
          accessKeyId: BASE_ENV.AWS_ACCESS_KEY_ID,
          secretAccessKey: BASE_ENV.AWS_SECRET_ACCESS_KEY,
        },
        maxAttempts: 3,
        requestHandler: new FetchHandler() as never,
      });
      const e = await client.send(new GetResourcesCommand({})).then(() => null, (e) => e);
      const err = awsTargetError(e, "GetResources");
      assert.equal(err.code, "TlsError");
      assert.equal(
        err.message,
        `GetResources failed: no TLS connection to 127.0.0.1:${relay.port}: received corrupt ` +
          "message of type InvalidContentType; the endpoint does not speak TLS (is endpoint_url " +
          "https:// to a plain-http port?)",
      );
      assert.equal(relay.stats.connections, 1);
      assert.equal(fake.stats.calls.GetResources, 0);
    } finally {
      await relay.close();
    }
  });
});
