/**
 * The Account API over restJson1 (SigV4 service `account`, model
 * account/2021-02-01): POST /listRegions and POST /getRegionOptStatus.
 *
 * Errors carry `{"message"}` (lower-case, as the model's shapes spell it;
 * ValidationException adds `reason` and `fieldList`) and the code in the
 * `x-amzn-ErrorType` header, which the model binds to each exception's
 * `errorType` member. Default page size without MaxResults: 20 (the fake's
 * choice).
 *
 * @module
 */

import type { FakeContext, ServiceCall } from "./context.ts";
import { preflight } from "./faults.ts";
import { restError, restOk } from "./json_protocol.ts";
import { decodeToken, encodeToken } from "./page_token.ts";
import type { FakeAwsOptions, RegionOptStatus } from "./types.ts";

// deno-fmt-ignore
/** Regions every account has enabled by default. */
export const DEFAULT_ENABLED_REGIONS = [
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
  "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
  "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
];

// deno-fmt-ignore
/** Opt-in regions; DISABLED unless an account's `accountApi.regions` says otherwise. */
export const OPT_IN_REGIONS = [
  "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
  "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
  "me-central-1", "me-south-1", "mx-central-1",
];

const STATUSES: RegionOptStatus[] = [
  "ENABLED",
  "ENABLING",
  "DISABLING",
  "DISABLED",
  "ENABLED_BY_DEFAULT",
];
const ACCOUNT_PAGE_SIZE = 20;

const USUAL_STATUS: Record<string, number> = {
  AccessDeniedException: 403,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ResourceUnavailableException: 424,
  TooManyRequestsException: 429,
  InternalServerException: 500,
};

/** An Account API error: `{message}` body, code in `x-amzn-ErrorType`. */
export function accountError(code: string, message: string, status?: number): Response {
  return restError(code, status ?? USUAL_STATUS[code] ?? 400, { message });
}

function validation(field: string, message: string): Response {
  return restError("ValidationException", 400, {
    message: `1 validation error detected: ${message}`,
    reason: "fieldValidationFailed",
    fieldList: [{ name: field, message }],
  });
}

/** Ground truth: region -> opt-in status of `account` (defaults overlaid with `accountApi.regions`). */
export function regionStatuses(
  opts: FakeAwsOptions,
  account: string,
): Record<string, RegionOptStatus> {
  const out: Record<string, RegionOptStatus> = {};
  for (const r of DEFAULT_ENABLED_REGIONS) out[r] = "ENABLED_BY_DEFAULT";
  for (const r of OPT_IN_REGIONS) out[r] = "DISABLED";
  return { ...out, ...opts.accountApi?.regions?.[account] };
}

/** Ground truth: regions of `account` that are ENABLED or ENABLED_BY_DEFAULT, sorted. */
export function enabledRegions(opts: FakeAwsOptions, account: string): string[] {
  return Object.entries(regionStatuses(opts, account))
    .filter(([, s]) => s === "ENABLED" || s === "ENABLED_BY_DEFAULT").map(([r]) => r).sort();
}

/**
 * The account a call is about: its own, or `AccountId` when the caller is the
 * organization's management account or a delegated admin (as AWS allows).
 */
function targetAccount(call: ServiceCall, ctx: FakeContext): string | Response {
  const id = call.input.AccountId;
  if (id === undefined || id === null || id === call.account) return call.account;
  if (typeof id !== "string" || !/^\d{12}$/.test(id)) {
    return validation(
      "accountId",
      `Value '${String(id)}' at 'accountId' failed to satisfy ` +
        "constraint: Member must satisfy regular expression pattern: \\d{12}",
    );
  }
  const org = ctx.opts.organization;
  const admin = org !== undefined &&
    (org.managementAccountId === call.account || !!org.delegatedAdmins?.includes(call.account));
  if (!admin || !ctx.org.account(id)) {
    return accountError("AccessDeniedException", `User is not authorized to access account ${id}`);
  }
  return id;
}

function listRegions(call: ServiceCall, ctx: FakeContext, account: string): Response {
  const { MaxResults, NextToken, RegionOptStatusContains } = call.input;
  if (MaxResults !== undefined && MaxResults !== null) {
    const n = MaxResults as number;
    if (!Number.isInteger(n) || n < 1 || n > 50) {
      return validation(
        "maxResults",
        `Value '${String(n)}' at 'maxResults' failed to satisfy ` +
          "constraint: Member must have value between 1 and 50",
      );
    }
  }
  const wanted = (RegionOptStatusContains ?? []) as string[];
  const bad = wanted.find((s) => !STATUSES.includes(s as RegionOptStatus));
  if (bad !== undefined) {
    return validation(
      "regionOptStatusContains",
      `Value '${bad}' at 'regionOptStatusContains' ` +
        `failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES}]`,
    );
  }
  const regions = Object.entries(regionStatuses(ctx.opts, account))
    .filter(([, s]) => wanted.length === 0 || wanted.includes(s))
    .sort(([a], [b]) => a.localeCompare(b));
  const k = `${account}/${[...wanted].sort()}`;
  let offset = 0;
  if (NextToken !== undefined && NextToken !== null) {
    const tok = typeof NextToken === "string" ? decodeToken(NextToken) : undefined;
    if (!tok || tok.k !== k) return validation("nextToken", "The NextToken is not valid");
    offset = tok.o;
  }
  const end = Math.min(
    offset + ((MaxResults as number | undefined) ?? ACCOUNT_PAGE_SIZE),
    regions.length,
  );
  const body: Record<string, unknown> = {
    Regions: regions.slice(offset, end).map(([RegionName, RegionOptStatus]) => ({
      RegionName,
      RegionOptStatus,
    })),
  };
  if (end < regions.length) body.NextToken = encodeToken({ k, o: end, p: 0 });
  return restOk(body);
}

function getRegionOptStatus(call: ServiceCall, ctx: FakeContext, account: string): Response {
  const name = call.input.RegionName;
  const status = typeof name === "string" ? regionStatuses(ctx.opts, account)[name] : undefined;
  if (status === undefined) {
    return validation("regionName", `Value '${String(name)}' at 'regionName' is not a region`);
  }
  return restOk({ RegionName: name, RegionOptStatus: status });
}

/** Handles one Account API call (op "ListRegions" or "GetRegionOptStatus"). */
export function handleAccountApi(call: ServiceCall, ctx: FakeContext): Response {
  const options = ctx.opts.accountApi;
  if (call.op !== "ListRegions" && call.op !== "GetRegionOptStatus") {
    return accountError("UnknownOperationException", `Unknown operation ${call.op}`, 404);
  }
  const refused = preflight(ctx.accountApi, call.account, options?.faults, call);
  if (refused === "throttled") return accountError("TooManyRequestsException", "Rate exceeded");
  if (refused) return accountError(refused.code, refused.message ?? refused.code, refused.status);
  if (options?.deniedAccounts?.includes(call.account)) {
    return accountError(
      "AccessDeniedException",
      `User is not authorized to perform: account:${call.op}`,
    );
  }
  const account = targetAccount(call, ctx);
  if (account instanceof Response) return account;
  return call.op === "ListRegions"
    ? listRegions(call, ctx, account)
    : getRegionOptStatus(call, ctx, account);
}
