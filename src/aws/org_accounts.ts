import {
  type Account,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { MemberAccount } from "../config/account_list.ts";
import type { Logger } from "../log.ts";
import { DiscoveryError } from "../sources/directory.ts";
import { withDeadline } from "./abortable.ts";
import { callTimeout, discoveryError } from "./discovery_errors.ts";

/** The most any Organizations List call returns per page. */
export const ORG_PAGE_SIZE = 20;
/** Pages of one listing after which paging is taken to be stuck (400,000 items). */
const MAX_PAGES = 20_000;

/** How the calls of one discovery are made. */
export interface OrgCallOptions {
  readonly signal: AbortSignal;
  /** Each call (retries included) fails with `CallTimeout` after this long. */
  readonly timeoutMs: number;
  /** Who calls, for messages: "the role arn:..." or "the base credentials". */
  readonly caller: string;
  readonly log: Logger;
}

/**
 * The ACTIVE member accounts of the organisation: `ListAccounts`, or with
 * `includeOus` each root or OU and every OU below it (`ListChildren` of type
 * ORGANIZATIONAL_UNIT, then `ListAccountsForParent`), each account once.
 * Every listing pages until `NextToken` is absent, because Organizations may
 * answer an empty page that still carries one. An account counts as active
 * when its `State` is ACTIVE, or, only when `State` is absent (older
 * answers), its retiring `Status` is.
 */
export async function listMemberAccounts(
  client: OrganizationsClient,
  includeOus: readonly string[] | null,
  call: OrgCallOptions,
): Promise<MemberAccount[]> {
  const found = new Map<string, Account>();
  const add = (accounts: Account[] | undefined) => {
    for (const a of accounts ?? []) if (a.Id) found.set(a.Id, a);
  };
  if (includeOus === null) {
    await paginate("ListAccounts", call, undefined, async (token, abortSignal) => {
      const out = await client.send(
        new ListAccountsCommand({ MaxResults: ORG_PAGE_SIZE, NextToken: token }),
        { abortSignal },
      );
      add(out.Accounts);
      return out.NextToken;
    });
  } else {
    const queue = [...includeOus];
    const seen = new Set<string>();
    for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      const ParentId = parent;
      await paginate("ListAccountsForParent", call, parent, async (token, abortSignal) => {
        const out = await client.send(
          new ListAccountsForParentCommand({
            ParentId,
            MaxResults: ORG_PAGE_SIZE,
            NextToken: token,
          }),
          { abortSignal },
        );
        add(out.Accounts);
        return out.NextToken;
      });
      await paginate("ListChildren", call, parent, async (token, abortSignal) => {
        const out = await client.send(
          new ListChildrenCommand({
            ParentId,
            ChildType: "ORGANIZATIONAL_UNIT",
            MaxResults: ORG_PAGE_SIZE,
            NextToken: token,
          }),
          { abortSignal },
        );
        for (const child of out.Children ?? []) if (child.Id) queue.push(child.Id);
        return out.NextToken;
      });
    }
  }
  const members: MemberAccount[] = [];
  for (const a of found.values()) {
    if ((a.State ?? a.Status) !== "ACTIVE") continue;
    if (!/^\d{12}$/.test(a.Id!)) {
      call.log.warn("Organizations listed an account id that is not 12 digits; skipped", {
        account_id: a.Id,
      });
      continue;
    }
    members.push({ id: a.Id!, name: a.Name || a.Id! });
  }
  return members;
}

/**
 * Calls `page` with each NextToken until none comes back. A token that
 * repeats the one sent, or paging past `MAX_PAGES`, fails discovery rather
 * than return part of the list: accounts missing from it would lose their
 * series without an alert.
 */
async function paginate(
  op: string,
  call: OrgCallOptions,
  parent: string | undefined,
  page: (token: string | undefined, signal: AbortSignal) => Promise<string | undefined>,
): Promise<void> {
  let token: string | undefined;
  for (let n = 1;; n++) {
    let next: string | undefined;
    try {
      next = await withDeadline(
        (signal) => page(token, signal),
        call.timeoutMs,
        call.signal,
        () => callTimeout(`Organizations ${op}`, call.timeoutMs),
      );
    } catch (e) {
      if (call.signal.aborted) throw call.signal.reason;
      throw discoveryError(e, op, call.caller, parent);
    }
    if (!next) return;
    if (next === token || n >= MAX_PAGES) {
      throw new DiscoveryError(
        "InvalidResponse",
        `Organizations ${op} ${
          next === token ? "returned the NextToken it was given" : `paged past ${MAX_PAGES} pages`
        }; stopped, since a partial account list would drop accounts silently`,
      );
    }
    token = next;
  }
}
