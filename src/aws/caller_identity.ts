import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig } from "../config/model.ts";
import { TargetError } from "../errors.ts";
import { withDeadline } from "./abortable.ts";
import { type StsCallOptions, stsTimeout } from "./assume_role.ts";
import { awsTargetError } from "./aws_error.ts";

/**
 * Checks with GetCallerIdentity that the base credentials belong to
 * `account`, for accounts scanned without a role. Scanning another account's
 * resources under this account's labels would export wrong numbers silently,
 * so a mismatch fails the account with the fix in the message.
 */
export async function verifyBaseAccount(
  client: STSClient,
  account: AccountConfig,
  opts: StsCallOptions,
): Promise<void> {
  const what = "GetCallerIdentity (base credentials)";
  let out;
  try {
    out = await withDeadline(
      (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal }),
      opts.timeoutMs,
      opts.signal,
      () => stsTimeout(what, opts.timeoutMs),
    );
  } catch (e) {
    throw awsTargetError(e, what);
  }
  if (out.Account !== account.id) {
    throw new TargetError(
      "AccountMismatch",
      `no role is configured for account ${account.id} and the base credentials belong to ` +
        `account ${out.Account ?? "unknown"} (${out.Arn ?? "unknown ARN"}); set ` +
        `assume_role_name_template or aws_account_overrides."${account.id}".role_arn`,
    );
  }
}
