/**
 * The client signer signs exactly as a fresh SignatureV4 of the SDK does,
 * while reusing its last signing key only for the same credentials, date,
 * region and service. (The fake AWS does not check signatures, so this is
 * where they are checked.)
 */
import assert from "node:assert/strict";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { clientSigner } from "../src/aws/signer.ts";

const request = () => ({
  method: "POST",
  protocol: "https:",
  hostname: "tagging.eu-west-1.amazonaws.com",
  path: "/",
  query: {},
  headers: {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "ResourceGroupsTaggingAPI_20170126.GetResources",
    host: "tagging.eu-west-1.amazonaws.com",
  },
  body: '{"ResourcesPerPage":100}',
});

const A = { accessKeyId: "ASIAAAAA", secretAccessKey: "secret-a", sessionToken: "token-a" };
const B = { accessKeyId: "ASIABBBB", secretAccessKey: "secret-b", sessionToken: "token-b" };

function authorization(signed: unknown): string {
  return (signed as { headers: Record<string, string> }).headers.authorization;
}

async function reference(
  creds: typeof A,
  opts: { signingDate: Date; signingRegion: string; signingService: string },
) {
  const fresh = new SignatureV4({ credentials: creds, region: "x", service: "x", sha256: Sha256 });
  return authorization(await fresh.sign(request() as never, opts));
}

Deno.test("clientSigner() signs as the SDK's SignatureV4, across credentials, dates, regions and services", async () => {
  let creds = A;
  const signer = clientSigner({
    credentials: () => Promise.resolve(creds),
    region: "eu-west-1",
    service: "tagging",
    sha256: Sha256,
  });
  const day1 = new Date("2026-03-01T10:00:00Z");
  const day2 = new Date("2026-03-02T10:00:00Z");
  const cases = [
    { creds: A, signingDate: day1, signingRegion: "eu-west-1", signingService: "tagging" },
    { creds: A, signingDate: day1, signingRegion: "eu-west-1", signingService: "tagging" },
    { creds: A, signingDate: day2, signingRegion: "eu-west-1", signingService: "tagging" },
    { creds: B, signingDate: day2, signingRegion: "eu-west-1", signingService: "tagging" },
    { creds: B, signingDate: day2, signingRegion: "us-east-1", signingService: "tagging" },
    { creds: B, signingDate: day2, signingRegion: "us-east-1", signingService: "sts" },
    { creds: A, signingDate: day2, signingRegion: "us-east-1", signingService: "sts" },
  ];
  for (const { creds: c, ...opts } of cases) {
    creds = c;
    const got = authorization(await signer.sign(request() as never, opts));
    assert.equal(got, await reference(c, opts), JSON.stringify({ key: c.accessKeyId, ...opts }));
    assert.ok(got.includes(`Credential=${c.accessKeyId}/`));
  }
});

Deno.test("clientSigner() derives the signing key once for repeated requests of one session", async () => {
  let keyed = 0;
  class Counting extends Sha256 {
    constructor(secret?: ConstructorParameters<typeof Sha256>[0]) {
      super(secret);
      if (secret !== undefined) keyed++;
    }
  }
  const signer = clientSigner({
    credentials: () => Promise.resolve(A),
    region: "eu-west-1",
    service: "tagging",
    sha256: Counting,
  });
  const opts = {
    signingDate: new Date("2026-03-03T10:00:00Z"),
    signingRegion: "eu-west-1",
    signingService: "tagging",
  };
  await signer.sign(request() as never, opts);
  const first = keyed;
  await signer.sign(request() as never, opts);
  await signer.sign(request() as never, opts);
  // Each later request: one HMAC, the signature itself; the first also derived the key.
  assert.equal(keyed - first, 2);
  assert.ok(first >= 5, `${first} keyed hashes for the first request`);
});
