import { TargetError } from "../errors.ts";
import { DiscoveryError } from "../sources/directory.ts";

const PERMISSIONS = "organizations:ListAccounts, or organizations:ListChildren and " +
  "organizations:ListAccountsForParent with include_ous";

/** What an SDK error carries that the messages use. */
interface SdkError {
  name?: string;
  message?: string;
  Message?: string;
  Reason?: string;
  $metadata?: { attempts?: number };
}

/**
 * Turns an Organizations error into a `DiscoveryError` whose message is one
 * line: the call, who made it (`caller`: the role or the base credentials),
 * and which permission or setting is missing, then AWS's own words.
 * `parent` is the root or OU a call was about, for `ParentNotFoundException`.
 *
 * @example
 * discoveryError(e, "ListAccounts", "the base credentials");
 * // AccessDeniedException: "Organizations ListAccounts denied for the base credentials: ..."
 */
export function discoveryError(
  e: unknown,
  op: string,
  caller: string,
  parent?: string,
): DiscoveryError {
  if (e instanceof DiscoveryError) return e;
  // Our own deadline.
  if (e instanceof TargetError) return new DiscoveryError(e.code, e.message, { cause: e });
  const err = (typeof e === "object" && e !== null ? e : {}) as SdkError;
  const code = err.name && err.name !== "Error" ? err.name : "Error";
  const text = (err.message ?? err.Message ?? String(e)).split("\n")[0].trim() || code;
  const attempts = err.$metadata?.attempts ?? 1;
  const what = `Organizations ${op}`;
  const line = (() => {
    switch (code) {
      case "AccessDeniedException":
        return `${what} denied for ${caller}: it needs ${PERMISSIONS}, in the management ` +
          "account or a delegated administrator account (set aws_organization.role_arn to a role " +
          `there); AWS says: ${text}`;
      case "AWSOrganizationsNotInUseException":
        return `${what}: the account of ${caller} is not in an organisation ` +
          "(AWSOrganizationsNotInUseException); set aws_organization.role_arn to a role in the " +
          "management or a delegated administrator account, or list the accounts in " +
          "aws_account_matrix instead";
      case "TooManyRequestsException":
        return `${what} throttled after ${attempts} attempt${attempts === 1 ? "" : "s"} ` +
          "(TooManyRequestsException: the organisation's API rate is shared by every caller); " +
          "the next scan tries again (raise max_attempts, or scan less often)";
      case "InvalidInputException":
        return `${what} rejected its input (InvalidInputException, reason ${
          err.Reason ?? "unknown"
        }): ${text}${parent ? ` (check aws_organization.include_ous: ${parent})` : ""}`;
      case "ParentNotFoundException":
        return `aws_organization.include_ous: ${parent ?? "a parent"} is not a root or OU of ` +
          `this organisation (ParentNotFoundException from ${op}); fix or remove it`;
      default:
        return `${what} failed${attempts > 1 ? ` after ${attempts} attempts` : ""}: ${text}`;
    }
  })();
  return new DiscoveryError(code, line, { cause: e });
}

/** The error of an Organizations or Account API call that got no answer in time. */
export function callTimeout(what: string, timeoutMs: number): TargetError {
  return new TargetError(
    "CallTimeout",
    `${what} got no answer within ${timeoutMs / 1000}s (half of target_timeout_seconds, ` +
      "at most 60s); the next scan tries again",
  );
}
