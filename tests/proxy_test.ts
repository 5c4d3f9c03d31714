/**
 * Every AWS call honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY, upper or lower
 * case: `scan` as the task runs it (its permissions), against the fake AWS
 * behind a loopback forward proxy that counts what passes. A plain-http
 * endpoint is reached with absolute-form requests through the proxy; an
 * https one (the fake served over TLS, its CA trusted through DENO_CERT)
 * through a CONNECT tunnel; NO_PROXY hosts directly. (The environment the
 * tests run in must not set proxy variables of its own.)
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type FakeAws, withFakeAws } from "./fake_aws/mod.ts";
import { BASE_ENV, configYaml, inventoryOf, pagesFor } from "./helpers/aws.ts";
import { type LoopbackProxy, startForwardProxy } from "./helpers/forward_proxy.ts";
import { peerTest } from "./helpers/peers.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { makeTestCa, openssl } from "./helpers/test_ca.ts";

const A = "111111111111";
const SIZES = { [A]: { "us-east-1": 150, "eu-west-1": 20 } };
/** AssumeRole, then 2 + 1 GetResources pages. */
const CALLS = 1 + pagesFor(150) + pagesFor(20);
/** Deno's own update check would also go through the proxy; the product's binary has none. */
const QUIET = { DENO_NO_UPDATE_CHECK: "1", AWS_EC2_METADATA_DISABLED: "true" };

/** Runs `scan` against `fake` with `env`; returns its stderr after checking it succeeded. */
async function scanThrough(fake: FakeAws, env: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const config = join(dir, "config.yaml");
    await Deno.writeTextFile(
      config,
      configYaml({ accounts: { [A]: Object.keys(SIZES[A]) }, endpointUrl: fake.url }),
    );
    const run = await runCli(
      await taskFlags("scan"),
      ["scan", "--config", config, "--output", join(dir, "m.prom")],
      { env: { ...BASE_ENV, ...QUIET, ...env } },
    );
    assert.equal(run.code, 0, run.stderr);
    const text = await Deno.readTextFile(join(dir, "m.prom"));
    assert.ok(
      text.includes(
        `resources_scanned_total{account_id="${A}",account_name="acct-111",region="us-east-1"} 150`,
      ),
      text.slice(0, 400),
    );
    assert.equal(fake.stats.calls.GetResources + fake.stats.calls.AssumeRole, CALLS);
    return run.stderr;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withProxy<T>(fn: (proxy: LoopbackProxy) => Promise<T>): Promise<T> {
  const proxy = startForwardProxy();
  try {
    return await fn(proxy);
  } finally {
    await proxy.close();
  }
}

for (const name of ["HTTP_PROXY", "http_proxy"]) {
  Deno.test(`${name} carries every call to a plain-http endpoint through the proxy`, async () => {
    await withFakeAws({ inventory: inventoryOf(SIZES) }, (fake) =>
      withProxy(async (proxy) => {
        const stderr = await scanThrough(fake, { [name]: proxy.url });
        assert.equal(proxy.stats.absolute.length, CALLS, proxy.stats.absolute.join("\n"));
        for (const line of proxy.stats.absolute) assert.ok(line.includes(` ${fake.url}/`), line);
        assert.deepEqual(proxy.stats.connects, []);
        assert.ok(stderr.includes("AWS calls go through a proxy"), stderr);
      }));
  });
}

Deno.test("NO_PROXY sends calls to the hosts it lists directly", async () => {
  const lists: Record<string, string>[] = [{ NO_PROXY: "127.0.0.1" }, {
    no_proxy: "localhost,127.0.0.1",
  }];
  for (const noProxy of lists) {
    await withFakeAws({ inventory: inventoryOf(SIZES) }, (fake) =>
      withProxy(async (proxy) => {
        await scanThrough(fake, { HTTP_PROXY: proxy.url, ...noProxy });
        assert.equal(proxy.stats.connections, 0, JSON.stringify(noProxy));
      }));
  }
});

Deno.test({
  name:
    "HTTPS_PROXY and https_proxy tunnel calls to an https endpoint with CONNECT; NO_PROXY does not",
  ...peerTest(openssl),
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ca = await makeTestCa(dir);
    const tls = { cert: ca.cert, key: ca.key };
    for (const name of ["HTTPS_PROXY", "https_proxy"]) {
      await withFakeAws(
        { inventory: inventoryOf(SIZES), tls },
        (fake) =>
          withProxy(async (proxy) => {
            const secret = "proxy-password-do-not-log";
            const url = `http://reader:${secret}@127.0.0.1:${proxy.port}`;
            const stderr = await scanThrough(fake, { [name]: url, DENO_CERT: ca.caFile });
            const host = new URL(fake.url).host;
            assert.ok(proxy.stats.connects.length >= 1, JSON.stringify(proxy.stats));
            assert.ok(proxy.stats.connects.every((c) => c === host), proxy.stats.connects.join());
            assert.deepEqual(proxy.stats.absolute, []);
            assert.ok(stderr.includes(`127.0.0.1:${proxy.port}`), stderr);
            assert.ok(!stderr.includes(secret), "the proxy's password is never logged");
          }),
      );
    }
    await withFakeAws({ inventory: inventoryOf(SIZES), tls }, (fake) =>
      withProxy(async (proxy) => {
        await scanThrough(fake, {
          HTTPS_PROXY: proxy.url,
          NO_PROXY: "localhost",
          DENO_CERT: ca.caFile,
        });
        assert.equal(proxy.stats.connections, 0);
      }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
