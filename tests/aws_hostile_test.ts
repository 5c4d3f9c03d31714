/**
 * The live source against hostile answers: pagination tokens that cycle,
 * bodies that do not parse, huge error messages, an endpoint that refuses
 * connections, and one that echoes the request's secrets in its errors.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { MAX_ERROR_MESSAGE } from "../src/errors.ts";
import type { FailedTargetResult, ScanResult } from "../src/model.ts";
import { type FakeAwsOptions, withFakeAws } from "./fake_aws/mod.ts";
import { expectedCounts, inventoryOf, makeConfig, scan } from "./helpers/aws.ts";

const ACCOUNT = "111111111111";
const REGION = "us-east-1";

function failure(result: ScanResult): FailedTargetResult {
  const t = result.targets[0];
  ok(!t.ok, "the target should have failed");
  return t as FailedTargetResult;
}

/** One scan of one account-region against a fake with `opts`. */
function scanFake(opts: Omit<FakeAwsOptions, "inventory">, extra = "", resources = 250) {
  return withFakeAws(
    { inventory: inventoryOf({ [ACCOUNT]: { [REGION]: resources } }), ...opts },
    async (fake) => {
      const config = makeConfig({
        accounts: { [ACCOUNT]: [REGION] },
        endpointUrl: fake.url,
        extra,
      });
      return { ...await scan(config), config, fake };
    },
  );
}

Deno.test("a pagination token that comes back (A -> B -> A) stops paging with a warning", async () => {
  // Page 2's answer carries page 1's token again; 250 resources are pages 0..2.
  const run = await scanFake(
    { cycleTokens: [{ account: ACCOUNT, region: REGION, page: 2, to: 1 }] },
    "target_timeout_seconds: 5",
  );
  const t = run.result.targets[0];
  ok(t.ok, JSON.stringify(t.error));
  deepStrictEqual(t.counts, expectedCounts(run.config, ACCOUNT, REGION, 250));
  strictEqual(run.fake.stats.getResourcesByTarget[`${ACCOUNT}/${REGION}`], 3);
  const warning = run.logs.map((l) => JSON.parse(l)).find((l) => l.level === "warn");
  strictEqual(
    warning?.msg,
    "GetResources returned a pagination token it had returned before; paging stops here",
  );
  strictEqual(warning.repeats, "an earlier page's token");
});

Deno.test("an answer that is not valid JSON or XML fails its target with InvalidResponse", async () => {
  const cases: [FakeAwsOptions["rawAnswers"], string][] = [
    [[{ action: "GetResources", body: '{"ResourceTagMappingList": [' }], "GetResources failed"],
    [[{
      action: "GetResources",
      status: 502,
      body: "<html>Bad Gateway</html>",
      contentType: "text/html",
    }], "GetResources failed"],
    [[{
      action: "AssumeRole",
      body: "<AssumeRoleResponse><AssumeRoleResult><Credentials>",
      contentType: "text/xml",
    }], "AssumeRole arn:aws:iam::111111111111:role/TagReader failed"],
  ];
  for (const [rawAnswers, what] of cases) {
    const run = await scanFake({ rawAnswers }, "max_attempts: 1");
    const { error } = failure(run.result);
    strictEqual(error.code, "InvalidResponse", error.message);
    ok(error.message.startsWith(`${what}: an `), error.message);
    ok(error.message.includes("it could not parse"), error.message);
  }
});

Deno.test("a GetResources answer that parses but has another shape fails as InvalidResponse", async () => {
  const cases: [string, string][] = [
    ["[]", "the body is not a JSON object"],
    ["null", "the body is not a JSON object"],
    ['{"PaginationToken": 7}', "PaginationToken is not a string"],
    ['{"ResourceTagMappingList": {}}', "ResourceTagMappingList is not a list"],
    ['{"ResourceTagMappingList": [null]}', "ResourceTagMappingList[0] is not an object"],
    ['{"ResourceTagMappingList": [{"ResourceARN": 5}]}', "ResourceTagMappingList[0].ResourceARN"],
    [
      '{"ResourceTagMappingList": [{"ResourceARN": "arn:aws:s3:::b", "Tags": [{"Key": 1}]}]}',
      "ResourceTagMappingList[0].Tags[0].Key is not a string",
    ],
  ];
  for (const [body, says] of cases) {
    const run = await scanFake(
      { rawAnswers: [{ action: "GetResources", body }] },
      "max_attempts: 1",
    );
    const { error } = failure(run.result);
    strictEqual(error.code, "InvalidResponse", `${body}: ${error.message}`);
    ok(error.message.startsWith("GetResources failed: an HTTP 200 answer it could not parse ("));
    ok(error.message.includes(says), error.message);
  }
  // null members are absent, as the SDK reads them: an empty page, then the real ones.
  const empty = '{"ResourceTagMappingList": null, "PaginationToken": null}';
  const run = await scanFake({ rawAnswers: [{ action: "GetResources", body: empty, times: 1 }] });
  const t = run.result.targets[0];
  ok(t.ok, JSON.stringify(t.error));
  strictEqual(t.counts.scanned, 0);
});

Deno.test("a 2 MB error message is cut in the result and the log line", async () => {
  const huge = "denied because ".padEnd(2_000_000, "x");
  const run = await scanFake({
    failRegion: [{
      account: ACCOUNT,
      region: REGION,
      code: "AccessDeniedException",
      message: huge,
    }],
  });
  const { error } = failure(run.result);
  strictEqual(error.code, "AccessDeniedException");
  ok(error.message.length <= MAX_ERROR_MESSAGE, `${error.message.length} characters`);
  ok(error.message.startsWith("GetResources denied: denied because xxx"), error.message);
  ok(error.message.endsWith("…"), error.message.slice(-20));
  for (const line of run.logs) ok(line.length < 2 * MAX_ERROR_MESSAGE, `${line.length} characters`);
});

Deno.test("a refused connection fails with EndpointUnreachable", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  for (const template of ["TagReader", null]) {
    const config = makeConfig({
      accounts: { [ACCOUNT]: [REGION] },
      endpointUrl: `http://127.0.0.1:${port}`,
      template,
      extra: "max_attempts: 1",
    });
    const run = await scan(config);
    const { error } = failure(run.result);
    strictEqual(error.code, "EndpointUnreachable", error.message);
    ok(error.message.includes("cannot reach the endpoint (connect ECONNREFUSED"), error.message);
    const logged = run.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "target failed");
    strictEqual(logged.error_code, "EndpointUnreachable");
  }
});

Deno.test("a session token or external id echoed in an error never reaches the result or the logs", async () => {
  // GetResources signed with the assumed role's session token, which the endpoint echoes.
  const tagging = await scanFake({ echoSecrets: "GetResources" });
  const secrets = tagging.fake.stats.issuedSecrets;
  ok(secrets.length >= 2, "the fake issued a session");
  const echoed = failure(tagging.result).error.message;
  ok(echoed.includes("security token [redacted]"), echoed);
  // AssumeRole signed with temporary base credentials and an external id.
  const baseToken = "IQoJb3JpZ2luX2VjEBase0SessionToken0123456789";
  const externalId = "ext-id-Kx81-do-not-log";
  const sts = await withFakeAws(
    {
      inventory: inventoryOf({ [ACCOUNT]: { [REGION]: 1 } }),
      echoSecrets: "AssumeRole",
      requireExternalId: { [ACCOUNT]: externalId },
    },
    (fake) =>
      scan(
        makeConfig({
          accounts: { [ACCOUNT]: [REGION] },
          endpointUrl: fake.url,
          extra: `external_id: "${externalId}"`,
        }),
        { env: { AWS_SESSION_TOKEN: baseToken } },
      ),
  );
  const stsEchoed = failure(sts.result).error.message;
  strictEqual(
    stsEchoed.replace(/^.*?: /, ""),
    "Request with security token [redacted] and external id [redacted] denied",
  );
  const everything = [echoed, ...tagging.logs, stsEchoed, ...sts.logs].join("\n");
  for (const secret of [...secrets, baseToken, externalId]) {
    ok(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 12)}...`);
  }
});
