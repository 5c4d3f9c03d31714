/**
 * Resource Groups Tagging API over awsJson1.1 (what
 * @aws-sdk/client-resource-groups-tagging-api sends: POST / with
 * `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<Op>`). Implements
 * GetResources with pagination, filters, fault injection and tag policy
 * verdicts (IncludeComplianceDetails / ExcludeCompliantResources).
 *
 * Default page size when ResourcesPerPage is absent: 50 (the fake's choice;
 * AWS does not document one, it only caps the value at 100).
 *
 * @module
 */

import type { FakeContext } from "./context.ts";
import { jsonError, jsonOk } from "./json_protocol.ts";
import { decodeToken, encodeToken } from "./page_token.ts";
import { type GetResourcesInput, selectResources, type TagMapping } from "./tagging_view.ts";

/** Page size used when the request has no ResourcesPerPage. */
export const DEFAULT_PAGE_SIZE = 50;
/** X-Amz-Target prefix of the Tagging API. */
export const TAGGING_TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126.";

/** HTTP status AWS uses for each error code the fake emits. */
const STATUS: Record<string, number> = {
  ThrottledException: 400,
  InternalServiceException: 500,
  PaginationTokenExpiredException: 400,
  InvalidParameterException: 400,
  AccessDeniedException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
};

const DEFAULT_MESSAGE: Record<string, string> = {
  ThrottledException: "Rate exceeded",
  InternalServiceException: "Internal service error",
  PaginationTokenExpiredException: "Pagination token has expired",
  AccessDeniedException: "User is not authorized to perform: tag:GetResources",
};

/** A Tagging API error with the usual status and message of `code`. */
function taggingError(code: string, message?: string, status?: number): Response {
  return jsonError(code, message ?? DEFAULT_MESSAGE[code] ?? code, status ?? STATUS[code] ?? 400);
}

function getResources(
  input: GetResourcesInput,
  account: string,
  region: string,
  ctx: FakeContext,
  now: number,
): Response {
  const { opts, stats } = ctx;
  const target = `${account}/${region}`;
  stats.calls.GetResources++;
  stats.getResourcesByTarget[target] = (stats.getResourcesByTarget[target] ?? 0) + 1;
  (stats.getResourcesTimestamps[target] ??= []).push(now);
  stats.resourcesPerPage.push(input.ResourcesPerPage);

  if (!ctx.limiter.admit(target, now)) {
    stats.rateViolations++;
    stats.injected.rateLimited++;
    return taggingError("ThrottledException");
  }

  const maxPage = opts.maxPageSize ?? 100;
  const perPage = input.ResourcesPerPage ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPage) {
    return taggingError(
      "InvalidParameterException",
      `ResourcesPerPage must be between 1 and ${maxPage}, got ${input.ResourcesPerPage}`,
    );
  }
  if (input.ExcludeCompliantResources && !input.IncludeComplianceDetails) {
    return taggingError(
      "InvalidParameterException",
      "ExcludeCompliantResources can only be used when IncludeComplianceDetails is true",
    );
  }
  // A token is only valid for the same target and the same selection.
  const listing = JSON.stringify([
    target,
    input.TagFilters ?? [],
    input.ResourceTypeFilters ?? [],
    input.ResourceARNList ?? [],
    input.IncludeComplianceDetails ?? false,
    input.ExcludeCompliantResources ?? false,
  ]);
  let offset = 0;
  let page = 0;
  if (input.PaginationToken) {
    const tok = decodeToken(input.PaginationToken);
    if (!tok || tok.k !== listing) {
      return taggingError("InvalidParameterException", "Invalid PaginationToken");
    }
    offset = tok.o;
    page = tok.p;
  }

  const fail = opts.failRegion?.find((f) => f.account === account && f.region === region);
  if (fail) {
    stats.injected.failRegion++;
    const code = fail.code ?? "AccessDeniedException";
    return taggingError(code, fail.message, fail.status);
  }

  const r = ctx.random();
  const throttleRate = opts.throttleRate ?? 0;
  if (r < throttleRate) {
    stats.injected.throttles++;
    return taggingError("ThrottledException");
  }
  if (r < throttleRate + (opts.internalErrorRate ?? 0)) {
    stats.injected.internalErrors++;
    return taggingError("InternalServiceException");
  }

  if (input.PaginationToken) {
    const idx = opts.expireTokenAtPage?.findIndex((e) =>
      e.account === account && e.region === region && e.page === page
    ) ?? -1;
    if (idx >= 0 && ctx.expiriesLeft[idx] > 0) {
      ctx.expiriesLeft[idx]--;
      stats.injected.tokenExpired++;
      return taggingError("PaginationTokenExpiredException");
    }
  }
  const failPage = opts.failAtPage?.find((f) =>
    f.account === account && f.region === region && f.page === page
  );
  if (failPage) {
    stats.injected.failAtPage++;
    return taggingError(failPage.code ?? "InternalServiceException");
  }

  const policy = account in (opts.tagPolicyByAccount ?? {})
    ? opts.tagPolicyByAccount![account]
    : opts.tagPolicy;
  const items = selectResources(opts.inventory[account]?.[region], input, policy);
  const end = Math.min(offset + perPage, items.count);
  const list: TagMapping[] = [];
  const details = input.IncludeComplianceDetails === true;
  for (let i = offset; i < end; i++) list.push(withoutDetails(items.get(i), details));
  const cycle = opts.cycleTokens?.find((c) =>
    c.account === account && c.region === region && c.page === page
  );
  let next = end < items.count ? encodeToken({ k: listing, o: end, p: page + 1 }) : "";
  if (cycle) next = ctx.tokens.get(`${listing}#${cycle.to}`) ?? next;
  else if (next) ctx.tokens.set(`${listing}#${page + 1}`, next);
  return jsonOk({ PaginationToken: next, ResourceTagMappingList: list });
}

/** A resource as GetResources returns it: `ComplianceDetails` only when asked for. */
function withoutDetails(r: TagMapping, include: boolean): TagMapping {
  if (include || r.ComplianceDetails === undefined) return r;
  const { ComplianceDetails: _, ...rest } = r;
  return rest;
}

/**
 * Handles one awsJson1.1 request for the tagging API. `target` is the
 * X-Amz-Target header; the caller's account and region come from SigV4;
 * `receivedAt` (performance.now()) is when the request arrived, before any
 * injected latency, which is what the rate limiter must see.
 */
export function handleTagging(
  target: string,
  bodyText: string,
  account: string,
  region: string,
  ctx: FakeContext,
  receivedAt: number,
): Response {
  const op = target.startsWith(TAGGING_TARGET_PREFIX)
    ? target.slice(TAGGING_TARGET_PREFIX.length)
    : undefined;
  if (op !== "GetResources") {
    ctx.stats.calls.Other++;
    return taggingError("UnknownOperationException", `Unknown operation ${target}`);
  }
  let input: GetResourcesInput;
  try {
    input = bodyText ? JSON.parse(bodyText) : {};
  } catch {
    ctx.stats.calls.GetResources++;
    return taggingError("SerializationException", "Request body is not valid JSON");
  }
  return getResources(input, account, region, ctx, receivedAt);
}
