import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig } from "../config/model.ts";
import { TargetError } from "../errors.ts";
import { withDeadline } from "./abortable.ts";
import { awsTargetError } from "./aws_error.ts";
import { sessionName } from "./session_name.ts";

/** Temporary credentials of an assumed role. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** How an STS call may be cut short. */
export interface StsCallOptions {
  /** Cancels the call (the source aborts its calls on close). */
  readonly signal: AbortSignal;
  /** The call fails with `StsTimeout` when it has no answer by then (retries included). */
  readonly timeoutMs: number;
}

/**
 * Assumes `roleArn` in `account` with the client's (base) credentials, with
 * the account's external id and session duration. Failures become a
 * `TargetError` naming the role, e.g. `AccessDenied: AssumeRole ARN denied: ...`,
 * or `StsTimeout: AssumeRole ARN got no answer within 30s ...`.
 */
export async function assumeRole(
  client: STSClient,
  account: AccountConfig,
  roleArn: string,
  opts: StsCallOptions,
): Promise<SessionCredentials> {
  const what = `AssumeRole ${roleArn}`;
  let out;
  try {
    out = await withDeadline(
      (abortSignal) =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: sessionName(account.id),
            ExternalId: account.externalId ?? undefined,
            DurationSeconds: account.sessionDurationSeconds,
          }),
          { abortSignal },
        ),
      opts.timeoutMs,
      opts.signal,
      () => stsTimeout(what, opts.timeoutMs),
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

/** The error of an STS call that got no answer in time; the next scan calls again. */
export function stsTimeout(what: string, timeoutMs: number): TargetError {
  return new TargetError(
    "StsTimeout",
    `${what} got no answer within ${timeoutMs / 1000}s (STS timeout: half of ` +
      "target_timeout_seconds, at most 60s); the next scan tries again",
  );
}
