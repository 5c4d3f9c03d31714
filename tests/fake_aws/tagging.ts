/**
 * Resource Groups Tagging API over awsJson1.1 (what
 * @aws-sdk/client-resource-groups-tagging-api sends: POST / with
 * `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<Op>`). Implements
 * GetResources with pagination, filters and fault injection.
 *
 * Default page size when ResourcesPerPage is absent: 50 (the fake's choice;
 * AWS does not document one, it only caps the value at 100).
 *
 * @module
 */

import { type FakeContext, requestId } from "./context.ts";
import type { FakeResource, RegionInventory } from "./types.ts";

/** Page size used when the request has no ResourcesPerPage. */
export const DEFAULT_PAGE_SIZE = 50;
const TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126.";
const JSON_TYPE = "application/x-amz-json-1.1";

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

/**
 * An awsJson1.1 error: status + `{"__type", "Message"}` body + the
 * `x-amzn-ErrorType` header (the SDK accepts either; we send both like AWS).
 */
export function jsonError(code: string, message?: string, status?: number): Response {
  return new Response(
    JSON.stringify({ __type: code, Message: message ?? DEFAULT_MESSAGE[code] ?? code }),
    {
      status: status ?? STATUS[code] ?? 400,
      headers: {
        "content-type": JSON_TYPE,
        "x-amzn-RequestId": requestId(),
        "x-amzn-ErrorType": code,
      },
    },
  );
}

function jsonOk(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": JSON_TYPE, "x-amzn-RequestId": requestId() },
  });
}

/** Contents of a pagination token; base64url-encoded JSON, opaque to clients. */
interface TokenData {
  /** "account/region" the token belongs to. */
  t: string;
  /** Offset of the next resource. */
  o: number;
  /** Index of the page this token fetches. */
  p: number;
  /** Filters fingerprint; a token is only valid with the same filters. */
  f: string;
  /** Issue counter, so equal positions still get distinct tokens. */
  i: number;
}

let tokenCounter = 0;

function encodeToken(data: Omit<TokenData, "i">): string {
  const json = JSON.stringify({ ...data, i: ++tokenCounter });
  return btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeToken(token: string): TokenData | undefined {
  try {
    const b64 = token.replace(/-/g, "+").replace(/_/g, "/");
    const data = JSON.parse(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)));
    if (
      typeof data?.t === "string" && Number.isInteger(data.o) && Number.isInteger(data.p) &&
      typeof data.f === "string"
    ) return data as TokenData;
  } catch {
    // fall through: any undecodable token is simply invalid
  }
  return undefined;
}

interface GetResourcesInput {
  PaginationToken?: string;
  ResourcesPerPage?: number;
  TagFilters?: { Key?: string; Values?: string[] }[];
  ResourceTypeFilters?: string[];
  ResourceARNList?: string[];
  IncludeComplianceDetails?: boolean;
}

/** True when `arn` is of one of `types` ("service" or "service:resourceType"). */
function matchesType(arn: string, types: string[]): boolean {
  const parts = arn.split(":");
  const service = parts[2];
  const rest = parts.slice(5).join(":");
  const resourceType = rest.split(/[/:]/)[0];
  return types.some((t) => {
    const [s, r] = t.split(":");
    return s === service && (r === undefined || r === resourceType);
  });
}

function matchesTags(res: FakeResource, filters: { Key?: string; Values?: string[] }[]): boolean {
  return filters.every((f) =>
    res.Tags.some((t) =>
      t.Key === f.Key && (!f.Values || f.Values.length === 0 || f.Values.includes(t.Value))
    )
  );
}

/** Uniform indexed view over the (possibly filtered) inventory of one target. */
function view(
  inv: RegionInventory | undefined,
  input: GetResourcesInput,
): { count: number; get(i: number): FakeResource } {
  const base = inv === undefined
    ? { count: 0, get: (_: number): FakeResource => ({ ResourceARN: "", Tags: [] }) }
    : Array.isArray(inv)
    ? { count: inv.length, get: (i: number) => inv[i] }
    : inv;
  const { TagFilters, ResourceTypeFilters, ResourceARNList } = input;
  if (!TagFilters?.length && !ResourceTypeFilters?.length && !ResourceARNList?.length) return base;
  // Filtering materialises the target; fine for tests that use filters.
  const kept: FakeResource[] = [];
  for (let i = 0; i < base.count; i++) {
    const r = base.get(i);
    if (ResourceTypeFilters?.length && !matchesType(r.ResourceARN, ResourceTypeFilters)) continue;
    if (TagFilters?.length && !matchesTags(r, TagFilters)) continue;
    if (ResourceARNList?.length && !ResourceARNList.includes(r.ResourceARN)) continue;
    kept.push(r);
  }
  return { count: kept.length, get: (i) => kept[i] };
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
    return jsonError("ThrottledException");
  }

  const maxPage = opts.maxPageSize ?? 100;
  const perPage = input.ResourcesPerPage ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPage) {
    return jsonError(
      "InvalidParameterException",
      `ResourcesPerPage must be between 1 and ${maxPage}, got ${input.ResourcesPerPage}`,
    );
  }
  const filterKey = JSON.stringify([
    input.TagFilters ?? [],
    input.ResourceTypeFilters ?? [],
    input.ResourceARNList ?? [],
  ]);
  let offset = 0;
  let page = 0;
  if (input.PaginationToken) {
    const tok = decodeToken(input.PaginationToken);
    if (!tok || tok.t !== target || tok.f !== filterKey) {
      return jsonError("InvalidParameterException", "Invalid PaginationToken");
    }
    offset = tok.o;
    page = tok.p;
  }

  const fail = opts.failRegion?.find((f) => f.account === account && f.region === region);
  if (fail) {
    stats.injected.failRegion++;
    const code = fail.code ?? "AccessDeniedException";
    return jsonError(code, fail.message, fail.status);
  }

  const r = ctx.random();
  const throttleRate = opts.throttleRate ?? 0;
  if (r < throttleRate) {
    stats.injected.throttles++;
    return jsonError("ThrottledException");
  }
  if (r < throttleRate + (opts.internalErrorRate ?? 0)) {
    stats.injected.internalErrors++;
    return jsonError("InternalServiceException");
  }

  if (input.PaginationToken) {
    const idx = opts.expireTokenAtPage?.findIndex((e) =>
      e.account === account && e.region === region && e.page === page
    ) ?? -1;
    if (idx >= 0 && ctx.expiriesLeft[idx] > 0) {
      ctx.expiriesLeft[idx]--;
      stats.injected.tokenExpired++;
      return jsonError("PaginationTokenExpiredException");
    }
  }
  const failPage = opts.failAtPage?.find((f) =>
    f.account === account && f.region === region && f.page === page
  );
  if (failPage) {
    stats.injected.failAtPage++;
    return jsonError(failPage.code ?? "InternalServiceException");
  }

  const items = view(opts.inventory[account]?.[region], input);
  const end = Math.min(offset + perPage, items.count);
  const list: FakeResource[] = [];
  const details = input.IncludeComplianceDetails === true;
  for (let i = offset; i < end; i++) list.push(withComplianceDetails(items.get(i), details));
  const next = end < items.count
    ? encodeToken({ t: target, o: end, p: page + 1, f: filterKey })
    : "";
  return jsonOk({ PaginationToken: next, ResourceTagMappingList: list });
}

/**
 * Tag policy compliance (`IncludeComplianceDetails`): a resource as
 * GetResources returns it, with `ComplianceDetails` only when the request
 * asked for them (the resource's own, else compliant with no keys), as AWS
 * does. Kept apart so it can be reconciled with other work on the fake.
 */
export function withComplianceDetails(r: FakeResource, include: boolean): FakeResource {
  if (include) {
    return {
      ...r,
      ComplianceDetails: r.ComplianceDetails ??
        { NoncompliantKeys: [], KeysWithNoncompliantValues: [], ComplianceStatus: true },
    };
  }
  if (r.ComplianceDetails === undefined) return r;
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
  const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (op !== "GetResources") {
    ctx.stats.calls.Other++;
    return jsonError("UnknownOperationException", `Unknown operation ${target}`);
  }
  let input: GetResourcesInput;
  try {
    input = bodyText ? JSON.parse(bodyText) : {};
  } catch {
    ctx.stats.calls.GetResources++;
    return jsonError("SerializationException", "Request body is not valid JSON");
  }
  return getResources(input, account, region, ctx, receivedAt);
}
