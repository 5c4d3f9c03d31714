import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig } from "../config/model.ts";
import { TargetError } from "../errors.ts";
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
  signal?: AbortSignal,
): Promise<void> {
  let out;
  try {
    out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  } catch (e) {
    throw awsTargetError(e, "GetCallerIdentity (base credentials)");
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
