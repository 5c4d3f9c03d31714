import { TargetError } from "../errors.ts";
import { awsTargetError } from "./aws_error.ts";

/** Where the setup commands are explained. */
const DOC = "see docs/untagged-resources.md";

/**
 * Turns a Resource Explorer error into a `TargetError` whose message ends
 * with the fix: create an aggregator index, a view that includes tags, or
 * grant the missing permission. The code stays AWS's (`ValidationException`,
 * `UnauthorizedException`, ...), so logs, /health and reports show both.
 *
 * @example
 * explorerError(e, "ListResources", "us-east-1").message;
 * // "ListResources in us-east-1 denied: ... (grant resource-explorer-2:ListResources and ...)"
 */
export function explorerError(e: unknown, op: string, region: string): TargetError {
  const base = awsTargetError(e, `${op} in ${region}`);
  const fix = fixFor(base.code, base.message, op, region);
  return fix === null ? base : new TargetError(base.code, `${base.message} (${fix})`, { cause: e });
}

function fixFor(code: string, message: string, op: string, region: string): string | null {
  switch (code) {
    case "ValidationException":
      return /not included in the view/i.test(message)
        ? `the view does not include tags: create a view with --included-properties Name=tags ` +
          `and make it the default, or set untagged_resources.view_arn to it; ${DOC}`
        : null;
    case "UnauthorizedException":
      return `no default view in ${region}, or no access to it: create a view that includes ` +
        `tags and make it the default (aws resource-explorer-2 associate-default-view), or set ` +
        `untagged_resources.view_arn; ${DOC}`;
    case "AccessDeniedException":
      return "grant resource-explorer-2:ListResources and resource-explorer-2:GetIndex to the " +
        "role the exporter uses in this account";
    case "ResourceNotFoundException":
      return op === "GetIndex"
        ? `no Resource Explorer index in ${region}: create the aggregator index there ` +
          `(aws resource-explorer-2 create-index --region ${region}, then update-index-type ` +
          `--type AGGREGATOR), or set untagged_resources.index_region; ${DOC}`
        : `the view was not found: check untagged_resources.view_arn; ${DOC}`;
    case "ThrottlingException":
      return "Resource Explorer allows about 3 calls per second per account and region; " +
        "another client may be using this account's quota";
    default:
      return null;
  }
}

/** The pass got no complete answer in time. */
export function explorerTimeout(seconds: number, region: string): TargetError {
  return new TargetError(
    "UntaggedTimeout",
    `Resource Explorer in ${region} gave no complete answer within ${seconds}s ` +
      `(half of target_timeout_seconds; raise it, or check the index in ${region})`,
  );
}

/** A LOCAL index answers only for its own region. */
export function localIndexError(indexRegion: string): TargetError {
  return new TargetError(
    "LocalIndex",
    `the Resource Explorer index in ${indexRegion} is LOCAL and sees only ${indexRegion} ` +
      `(make it the aggregator: aws resource-explorer-2 update-index-type --type AGGREGATOR ` +
      `--region ${indexRegion} --arn <index arn>, or set untagged_resources.index_region to ` +
      `the aggregator's region; ${DOC})`,
  );
}
