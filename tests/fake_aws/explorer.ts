/**
 * Resource Explorer over restJson1 (SigV4 service `resource-explorer-2`,
 * model resource-explorer-2/2022-07-28): POST /ListResources,
 * /GetDefaultView, /GetIndex and /GetView.
 *
 * ListResources reproduces the documented quirk "does not generate a
 * NextToken if you set MaxResults to 1000": results past the first 1000 are
 * silently lost (counted in `stats.resourceExplorer.truncatedResults`).
 * Smaller pages page normally; without MaxResults the fake uses 100 (its own
 * choice). Every call counts against the per account/region rate limit.
 *
 * @module
 */

import type { FakeContext, ServiceCall } from "./context.ts";
import { compileFilter, FilterSyntaxError } from "./explorer_filter.ts";
import { preflight } from "./faults.ts";
import { indexAt, indexEntries, type IndexEntry, visibleFrom } from "./explorer_index.ts";
import {
  defaultViewAt,
  explorerError,
  explorerValidation,
  indexArn,
  type ResolvedView,
  resolveView,
  viewArn,
} from "./explorer_views.ts";
import { restOk } from "./json_protocol.ts";
import { decodeToken, encodeToken } from "./page_token.ts";

const EXPLORER_PAGE_SIZE = 100;
const NO_TOKEN_PAGE_SIZE = 1000;
/** When the fake says the index last saw each resource. */
export const LAST_REPORTED_AT = "2026-01-01T00:00:00.000Z";
const OPS = new Set(["ListResources", "GetDefaultView", "GetIndex", "GetView"]);

function render(e: IndexEntry, includeTags: boolean): Record<string, unknown> {
  const tagsProperty = { Name: "tags", LastReportedAt: LAST_REPORTED_AT, Data: e.tags };
  const showTags = includeTags && (e.tags.length > 0 || e.untaggedForm === "empty");
  return {
    Arn: e.Arn,
    OwningAccountId: e.OwningAccountId,
    Region: e.Region,
    ResourceType: e.ResourceType,
    Service: e.Service,
    LastReportedAt: LAST_REPORTED_AT,
    Properties: showTags ? [tagsProperty] : [],
  };
}

function listResources(call: ServiceCall, ctx: FakeContext, resolved: ResolvedView): Response {
  const { MaxResults, NextToken, Filters } = call.input as {
    MaxResults?: number;
    NextToken?: unknown;
    Filters?: { FilterString?: string };
  };
  if (
    MaxResults !== undefined &&
    (!Number.isInteger(MaxResults) || MaxResults < 1 || MaxResults > 1000)
  ) {
    return explorerValidation("MaxResults", "MaxResults must be between 1 and 1000");
  }
  const filterString = Filters?.FilterString ?? "";
  const includeTags = resolved.view.includeTags ?? true;
  let matches: (e: IndexEntry) => boolean;
  try {
    const own = compileFilter(resolved.view.filter);
    const asked = compileFilter(filterString);
    if (asked.usesTags && !includeTags) {
      return explorerValidation(
        "Filters",
        "The filter string uses properties that are not included in the view: tags",
      );
    }
    matches = (e) => own.matches(e) && asked.matches(e);
  } catch (err) {
    if (err instanceof FilterSyntaxError) return explorerValidation("Filters", err.message);
    throw err;
  }
  const entries = visibleFrom(
    indexEntries(ctx.opts, call.account),
    ctx.opts,
    call.region,
    resolved.indexType,
  )
    .filter(matches);
  const k = `${resolved.arn}|${filterString}`;
  let offset = 0;
  if (NextToken !== undefined && NextToken !== null) {
    const tok = typeof NextToken === "string" ? decodeToken(NextToken) : undefined;
    if (!tok || tok.k !== k) return explorerValidation("NextToken", "The NextToken is not valid");
    offset = tok.o;
  }
  const perPage = MaxResults ?? EXPLORER_PAGE_SIZE;
  const end = Math.min(offset + perPage, entries.length);
  const body: Record<string, unknown> = {
    Resources: entries.slice(offset, end).map((e) => render(e, includeTags)),
    ViewArn: resolved.arn,
  };
  if (perPage === NO_TOKEN_PAGE_SIZE) {
    ctx.explorer.stats.truncatedResults += entries.length - end;
  } else if (end < entries.length) {
    body.NextToken = encodeToken({ k, o: end, p: 0 });
  }
  return restOk(body);
}

function getIndex(call: ServiceCall, ctx: FakeContext): Response {
  const idx = indexAt(ctx.opts, call.account, call.region);
  if (!idx) return explorerError("ResourceNotFoundException", "Index not found");
  const regions = Object.keys(ctx.opts.resourceExplorer?.indexes[call.account] ?? {});
  const aggregator = regions.find((r) => indexAt(ctx.opts, call.account, r)?.type === "AGGREGATOR");
  const body: Record<string, unknown> = {
    Arn: indexArn(call.account, call.region),
    Type: idx.type,
    State: "ACTIVE",
    CreatedAt: LAST_REPORTED_AT,
    LastUpdatedAt: LAST_REPORTED_AT,
    Tags: {},
  };
  if (idx.type === "AGGREGATOR") body.ReplicatingFrom = regions.filter((r) => r !== call.region);
  else if (aggregator) body.ReplicatingTo = [aggregator];
  return restOk(body);
}

function getView(resolved: ResolvedView, account: string): Response {
  const v = resolved.view;
  return restOk({
    View: {
      ViewArn: resolved.arn,
      ViewName: v.name,
      Owner: account,
      LastUpdatedAt: LAST_REPORTED_AT,
      Scope: `arn:aws:iam::${account}:root`,
      IncludedProperties: (v.includeTags ?? true) ? [{ Name: "tags" }] : [],
      Filters: { FilterString: v.filter ?? "" },
    },
    Tags: {},
  });
}

/** Handles one Resource Explorer call (op = URL path without the slash). */
export function handleExplorer(call: ServiceCall, ctx: FakeContext): Response {
  const options = ctx.opts.resourceExplorer;
  if (!OPS.has(call.op)) {
    return explorerError("UnknownOperationException", `Unknown operation ${call.op}`, 404);
  }
  const refused = preflight(ctx.explorer, `${call.account}/${call.region}`, options?.faults, call);
  if (refused === "throttled") return explorerError("ThrottlingException", "Rate exceeded");
  if (refused) return explorerError(refused.code, refused.message ?? refused.code, refused.status);
  if (options?.deniedAccounts?.includes(call.account)) {
    return explorerError(
      "AccessDeniedException",
      `User is not authorized to perform: resource-explorer-2:${call.op}`,
    );
  }
  if (call.op === "GetIndex") return getIndex(call, ctx);
  if (call.op === "GetDefaultView") {
    const view = defaultViewAt(ctx.opts, call.account, call.region);
    // No default view: 200 without ViewArn.
    return restOk(view ? { ViewArn: viewArn(call.account, call.region, view.name) } : {});
  }
  if (call.op === "GetView" && !call.input.ViewArn) {
    return explorerValidation("ViewArn", "ViewArn is required");
  }
  const resolved = resolveView(ctx.opts, call.account, call.region, call.input.ViewArn);
  if (resolved instanceof Response) return resolved;
  return call.op === "GetView"
    ? getView(resolved, call.account)
    : listResources(call, ctx, resolved);
}
