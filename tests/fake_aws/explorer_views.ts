/**
 * Views and indexes of the fake Resource Explorer: ARNs, lookup of the view
 * a call uses, and the error AWS gives when there is none.
 *
 * @module
 */

import type { FakeExplorerView } from "./explorer_types.ts";
import { indexAt } from "./explorer_index.ts";
import { restError } from "./json_protocol.ts";
import type { FakeAwsOptions } from "./types.ts";

const USUAL_STATUS: Record<string, number> = {
  ValidationException: 400,
  UnauthorizedException: 401,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
};

/** A Resource Explorer error: `{"Message"}` body, code in `x-amzn-ErrorType`. */
export function explorerError(
  code: string,
  message: string,
  status?: number,
  extra: Record<string, unknown> = {},
): Response {
  return restError(code, status ?? USUAL_STATUS[code] ?? 400, { Message: message, ...extra });
}

/** ValidationException with its model `FieldList`. */
export function explorerValidation(field: string, issue: string): Response {
  return explorerError("ValidationException", issue, 400, {
    FieldList: [{ Name: field, ValidationIssue: issue }],
  });
}

/** Stable UUID-shaped id derived from `text` (FNV-1a), so ARNs repeat run to run. */
function stableUuid(text: string): string {
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    hex += (h >>> 0).toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

/** ARN of view `name` of `account` in `region`. */
export function viewArn(account: string, region: string, name: string): string {
  return `arn:aws:resource-explorer-2:${region}:${account}:view/${name}/${
    stableUuid(`${account}/${region}/${name}`)
  }`;
}

/** ARN of the index of `account` in `region`. */
export function indexArn(account: string, region: string): string {
  return `arn:aws:resource-explorer-2:${region}:${account}:index/${
    stableUuid(`${account}/${region}`)
  }`;
}

/** The default view of a region, as configured (shorthand/undefined -> tags included). */
export function defaultViewAt(
  opts: FakeAwsOptions,
  account: string,
  region: string,
): FakeExplorerView | undefined {
  const idx = indexAt(opts, account, region);
  if (!idx) return undefined;
  if (idx.defaultView === null) return undefined;
  return idx.defaultView ?? { name: "default", includeTags: true };
}

/** A view a call resolved to. */
export interface ResolvedView {
  arn: string;
  view: FakeExplorerView;
  indexType: "LOCAL" | "AGGREGATOR";
}

const VIEW_ARN_RE =
  /^arn:aws[a-z-]*:resource-explorer-2:([a-z0-9-]+):(\d{12}):view\/([^/]+)\/[^/]+$/;

/**
 * The view a call in `account`/`region` uses: `arn` when given, else the
 * region's default view. Errors as AWS gives them: a malformed ARN is a
 * ValidationException; another account's or region's view, or no default
 * view, is 401 UnauthorizedException; an unknown view is 404.
 */
export function resolveView(
  opts: FakeAwsOptions,
  account: string,
  region: string,
  arn: unknown,
): ResolvedView | Response {
  const idx = indexAt(opts, account, region);
  if (arn === undefined || arn === null || arn === "") {
    const view = defaultViewAt(opts, account, region);
    if (!idx || !view) return explorerError("UnauthorizedException", "Unauthorized");
    return { arn: viewArn(account, region, view.name), view, indexType: idx.type };
  }
  const m = typeof arn === "string" ? VIEW_ARN_RE.exec(arn) : null;
  if (!m) return explorerValidation("ViewArn", `${String(arn)} is not a valid view ARN`);
  if (m[1] !== region || m[2] !== account) {
    return explorerError("UnauthorizedException", "Unauthorized");
  }
  const candidates = [defaultViewAt(opts, account, region), ...(idx?.views ?? [])];
  const view = candidates.find((v) => v && viewArn(account, region, v.name) === arn);
  if (!idx || !view) return explorerError("ResourceNotFoundException", `View ${arn} not found`);
  return { arn: arn as string, view, indexType: idx.type };
}
