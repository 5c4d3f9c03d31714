/**
 * Shared plumbing of the tests that drive tests/fake_aws with the real SDK
 * clients: base credentials, assumed-role credentials from the fake's STS,
 * a rejection catcher and raw signed-looking requests for wire checks.
 */

import assert from "node:assert/strict";
import { AssumeRoleCommand, type AssumeRoleCommandInput, STSClient } from "@aws-sdk/client-sts";
import type { FakeAws } from "../fake_aws/mod.ts";

/** Base (non-assumed) credentials; the fake maps them to its base account. */
export const BASE_CREDS = { accessKeyId: "AKIAFAKEBASE0000", secretAccessKey: "fake-secret" };

/** Credentials in the shape SDK clients take. */
export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Assumes a role in `account` through the fake's STS and returns SDK-shaped credentials. */
export async function assumeInto(
  fake: FakeAws,
  account: string,
  input: Partial<AssumeRoleCommandInput> = {},
): Promise<Required<Creds>> {
  const client = new STSClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials: BASE_CREDS,
  });
  try {
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/TagReader`,
        RoleSessionName: "fake-aws-test",
        ...input,
      }),
    );
    const c = out.Credentials!;
    return {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    };
  } finally {
    client.destroy();
  }
}

/** Awaits `p` and returns its rejection (fails the test if it succeeds). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  assert.fail("expected the call to fail");
}

/** HTTP status of an SDK service exception. */
export function httpStatusOf(err: Record<string, unknown>): number | undefined {
  return (err.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
}

/**
 * A raw POST with an Authorization header naming `service`/`region` and the
 * base key (the fake reads only the credential scope), for checking bytes on
 * the wire that the SDK would hide.
 */
export function rawPost(
  fake: FakeAws,
  path: string,
  service: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const auth = `AWS4-HMAC-SHA256 Credential=${BASE_CREDS.accessKeyId}/20260101/us-east-1/` +
    `${service}/aws4_request, SignedHeaders=host, Signature=00`;
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { authorization: auth, ...headers },
    body: JSON.stringify(body),
  });
}
