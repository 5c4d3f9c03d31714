/**
 * Paging and JSON shapes of the fake Organizations service.
 *
 * @module
 */

import type { FakeContext, ServiceCall } from "./context.ts";
import { jsonOk } from "./json_protocol.ts";
import { decodeToken, encodeToken } from "./page_token.ts";
import { invalidInput } from "./org_errors.ts";
import { statusFor } from "./org_tree.ts";
import type { FakeOrgAccount, FakeOrgUnit } from "./org_types.ts";

/** Page size when the request has no MaxResults (the fake's choice). */
export const ORG_DEFAULT_PAGE_SIZE = 20;
const MAX_RESULTS = 20;
const DEFAULT_JOINED = new Date("2020-01-01T00:00:00Z");

/** An Account object as ListAccounts returns it (State/Status omitted on request). */
export function orgAccountJson(a: FakeOrgAccount, ctx: FakeContext): Record<string, unknown> {
  const org = ctx.org.org;
  const state = a.State ?? "ACTIVE";
  const out: Record<string, unknown> = {
    Id: a.Id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${ctx.org.orgId}/${a.Id}`,
    Email: a.Email ?? `aws+${a.Id}@example.com`,
    Name: a.Name,
  };
  if (!org.omitStatus) out.Status = a.Status ?? statusFor(state);
  if (!org.omitState) out.State = state;
  out.JoinedMethod = a.JoinedMethod ?? "CREATED";
  // awsJson1.1 timestamps are epoch seconds.
  out.JoinedTimestamp = (a.JoinedTimestamp ?? DEFAULT_JOINED).getTime() / 1000;
  return out;
}

/** An OrganizationalUnit object. */
export function orgUnitJson(u: FakeOrgUnit, ctx: FakeContext): Record<string, unknown> {
  const mgmt = ctx.org.org.managementAccountId;
  return {
    Id: u.Id,
    Arn: `arn:aws:organizations::${mgmt}:ou/${ctx.org.orgId}/${u.Id}`,
    Name: u.Name,
  };
}

/**
 * One page of `items` under `key` (the response member holding the list).
 * `listing` names the listing so a token only fits the call that made it.
 * Empty pages with a NextToken follow `emptyPageEvery`/`trailingEmptyPage`.
 */
export function paginate<T>(
  call: ServiceCall,
  ctx: FakeContext,
  listing: string,
  items: T[],
  key: string,
  render: (item: T) => unknown,
): Response {
  const { MaxResults, NextToken } = call.input;
  if (MaxResults !== undefined && MaxResults !== null) {
    if (!Number.isInteger(MaxResults) || (MaxResults as number) < 1) {
      return invalidInput("MIN_VALUE_EXCEEDED", "MaxResults must be at least 1.");
    }
    if ((MaxResults as number) > MAX_RESULTS) {
      return invalidInput("MAX_VALUE_EXCEEDED", `MaxResults must be at most ${MAX_RESULTS}.`);
    }
  }
  const perPage = (MaxResults as number | undefined) ?? ORG_DEFAULT_PAGE_SIZE;
  const k = `${call.account}/${listing}`;
  let offset = 0;
  let page = 0;
  if (NextToken !== undefined && NextToken !== null) {
    const tok = typeof NextToken === "string" ? decodeToken(NextToken) : undefined;
    if (!tok || tok.k !== k) {
      return invalidInput("INVALID_NEXT_TOKEN", "The specified NextToken is not valid.");
    }
    offset = Math.min(tok.o, items.length);
    page = tok.p;
  }
  const org = ctx.org.org;
  const every = org.emptyPageEvery ?? 3;
  if (every >= 2 && (page + 1) % every === 0 && offset < items.length) {
    ctx.organizations.stats.emptyPages++;
    return jsonOk({ [key]: [], NextToken: encodeToken({ k, o: offset, p: page + 1 }) });
  }
  const end = Math.min(offset + perPage, items.length);
  const body: Record<string, unknown> = { [key]: items.slice(offset, end).map(render) };
  const more = end < items.length || (org.trailingEmptyPage === true && offset < items.length);
  if (more) body.NextToken = encodeToken({ k, o: end, p: page + 1 });
  return jsonOk(body);
}
