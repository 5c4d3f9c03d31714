/** The fake's STS (Query/XML) through the real SDK client: AssumeRole and GetCallerIdentity. */

import assert from "node:assert/strict";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";
import { withFakeAws as withFake } from "./fake_aws/mod.ts";
import { assumeInto as assume, rejection } from "./helpers/fake_sdk.ts";
import { ACCT, sts } from "./helpers/fake_aws_fixture.ts";

const OTHER = "222222222222";

Deno.test("AssumeRole: SDK parses credentials and expiration; params are recorded", async () => {
  await withFake({ inventory: { [ACCT]: {} } }, async (fake) => {
    const client = sts(fake);
    try {
      const before = Date.now();
      const out = await client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCT}:role/TagReader`,
          RoleSessionName: "exporter@host",
          ExternalId: "ext-1",
          DurationSeconds: 900,
        }),
      );
      const c = out.Credentials!;
      assert.match(c.AccessKeyId!, new RegExp(`^ASIA${ACCT}[A-Z0-9]{4}$`));
      assert.ok(c.SecretAccessKey && c.SessionToken);
      assert.ok(c.Expiration instanceof Date);
      const ttl = c.Expiration.getTime() - before;
      assert.ok(ttl > 895_000 && ttl <= 901_000, `ttl ${ttl}`);
      assert.equal(
        out.AssumedRoleUser?.Arn,
        `arn:aws:sts::${ACCT}:assumed-role/TagReader/exporter@host`,
      );
      assert.match(out.AssumedRoleUser?.AssumedRoleId ?? "", /^AROA[A-Z0-9]+:exporter@host$/);
      assert.equal(fake.stats.calls.AssumeRole, 1);
      assert.equal(fake.stats.assumeRoleByAccount[ACCT], 1);
      assert.deepEqual(fake.stats.assumeRoleRequests, [{
        RoleArn: `arn:aws:iam::${ACCT}:role/TagReader`,
        RoleSessionName: "exporter@host",
        ExternalId: "ext-1",
        DurationSeconds: 900,
        callerAccount: "000000000000",
      }]);
      assert.deepEqual(fake.stats.issuedSecrets, [c.SecretAccessKey, c.SessionToken]);
      assert.deepEqual(fake.stats.issuedAccessKeyIds, [c.AccessKeyId]);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: credentialExpirySeconds overrides the returned Expiration", async () => {
  await withFake({ inventory: { [ACCT]: {} }, credentialExpirySeconds: 5 }, async (fake) => {
    const client = sts(fake);
    try {
      const out = await client.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1" }),
      );
      const ttl = out.Credentials!.Expiration!.getTime() - Date.now();
      assert.ok(ttl > 0 && ttl <= 5_000, `ttl ${ttl}`);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: denied account and wrong/missing external id -> AccessDenied 403", async () => {
  const opts = {
    inventory: { [ACCT]: {}, [OTHER]: {} },
    deniedAccounts: [OTHER],
    requireExternalId: { [ACCT]: "secret-ext" },
  };
  await withFake(opts, async (fake) => {
    const client = sts(fake);
    try {
      const cases: AssumeRoleCommandInput[] = [
        { RoleArn: `arn:aws:iam::${OTHER}:role/R`, RoleSessionName: "s1" },
        { RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1" },
        { RoleArn: `arn:aws:iam::${ACCT}:role/R`, RoleSessionName: "s1", ExternalId: "nope" },
        // Accounts missing from the inventory do not exist.
        { RoleArn: "arn:aws:iam::333333333333:role/R", RoleSessionName: "s1" },
      ];
      for (const input of cases) {
        const err = await rejection(client.send(new AssumeRoleCommand(input)));
        assert.equal(err.name, "AccessDenied", JSON.stringify(input));
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 403);
        assert.match(err.message, /not authorized to perform: sts:AssumeRole/);
      }
      const ok = await client.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCT}:role/R`,
          RoleSessionName: "s1",
          ExternalId: "secret-ext",
        }),
      );
      assert.ok(ok.Credentials?.AccessKeyId);
      assert.equal(fake.stats.assumeRoleByAccount[ACCT], 3);
      assert.equal(fake.stats.assumeRoleByAccount[OTHER], 1);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("AssumeRole: invalid parameters -> ValidationError 400", async () => {
  await withFake({ inventory: { [ACCT]: {} } }, async (fake) => {
    const client = sts(fake);
    try {
      const arn = `arn:aws:iam::${ACCT}:role/R`;
      const cases: AssumeRoleCommandInput[] = [
        { RoleArn: arn, RoleSessionName: "x".repeat(65) },
        { RoleArn: arn, RoleSessionName: "has space" },
        { RoleArn: arn, RoleSessionName: "s1", DurationSeconds: 899 },
        { RoleArn: arn, RoleSessionName: "s1", DurationSeconds: 43201 },
        { RoleArn: "arn:aws:iam::123:role/R", RoleSessionName: "s1" },
        { RoleArn: "not-an-arn", RoleSessionName: "s1" },
      ];
      for (const input of cases) {
        const err = await rejection(client.send(new AssumeRoleCommand(input)));
        assert.equal(err.name, "ValidationError", JSON.stringify(input));
        assert.equal((err.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
      }
      assert.equal(fake.stats.issuedSecrets.length, 0);
    } finally {
      client.destroy();
    }
  });
});

Deno.test("GetCallerIdentity: base vs assumed credentials", async () => {
  await withFake({ inventory: { [ACCT]: {} }, baseAccountId: "999999999999" }, async (fake) => {
    const base = sts(fake);
    const assumed = sts(fake, await assume(fake, ACCT));
    try {
      const b = await base.send(new GetCallerIdentityCommand({}));
      assert.equal(b.Account, "999999999999");
      assert.equal(b.Arn, "arn:aws:iam::999999999999:user/fake-base");
      const a = await assumed.send(new GetCallerIdentityCommand({}));
      assert.equal(a.Account, ACCT);
      assert.equal(a.Arn, `arn:aws:sts::${ACCT}:assumed-role/TagReader/fake-aws-test`);
      assert.match(a.UserId ?? "", /^AROA[A-Z0-9]+:fake-aws-test$/);
      assert.equal(fake.stats.calls.GetCallerIdentity, 2);
    } finally {
      base.destroy();
      assumed.destroy();
    }
  });
});
