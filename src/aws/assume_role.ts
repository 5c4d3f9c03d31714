import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig } from "../config/model.ts";
import { TargetError } from "../errors.ts";
import { awsTargetError } from "./aws_error.ts";
import { sessionName } from "./session_name.ts";

/** Temporary credentials of an assumed role. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/**
 * Assumes `roleArn` in `account` with the client's (base) credentials, with
 * the account's external id and session duration. Failures become a
 * `TargetError` naming the role, e.g. `AccessDenied: AssumeRole ARN denied: ...`.
 * `signal` cancels the call (the source aborts it on close).
 */
export async function assumeRole(
  client: STSClient,
  account: AccountConfig,
  roleArn: string,
  signal?: AbortSignal,
): Promise<SessionCredentials> {
  const what = `AssumeRole ${roleArn}`;
  let out;
  try {
    out = await client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName(account.id),
        ExternalId: account.externalId ?? undefined,
        DurationSeconds: account.sessionDurationSeconds,
      }),
      { abortSignal: signal },
    );
  } catch (e) {
    throw awsTargetError(e, what);
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new TargetError("InvalidResponse", `${what} returned no credentials`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
