import {
  GetIndexCommand,
  ListResourcesCommand,
  type ResourceExplorer2Client,
} from "@aws-sdk/client-resource-explorer-2";
import type { AccountConfig } from "../config/model.ts";
import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { untaggedCandidate } from "../sources/explorer_resource.ts";
import { AccountCandidates, type AccountUntagged } from "../sources/untagged_candidates.ts";
import { explorerError, localIndexError } from "./explorer_errors.ts";

/** Resources without tags, of types that can carry tags. */
export const UNTAGGED_FILTER = "tag:none resourcetype.supports:tags";

/**
 * ListResources page size. Not 1000: with `MaxResults: 1000` ListResources
 * returns no NextToken and silently drops every result past the first page.
 */
export const EXPLORER_PAGE_SIZE = 500;

/** One account's pass: which account, where its index lives, which view. */
export interface PassSpec {
  readonly account: AccountConfig;
  readonly indexRegion: string;
  /** null: the index region's default view. */
  readonly viewArn: string | null;
}

/**
 * One Resource Explorer pass over an account, through a client of its index
 * region: ListResources with `tag:none resourcetype.supports:tags`, paged,
 * keeping only the candidates of configured regions; and, alongside it,
 * GetIndex, because only an AGGREGATOR index sees every region: with a LOCAL
 * one the pass speaks for the index region alone and every other region says
 * why. Errors become `TargetError`s that name the fix.
 */
export async function explorerPass(
  client: ResourceExplorer2Client,
  spec: PassSpec,
  signal: AbortSignal,
  log: Logger,
): Promise<AccountUntagged> {
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const candidates = new AccountCandidates(spec.account);
  // Both start at once; GetIndex's error wins (it names the missing index),
  // so the reason does not depend on which answer arrives first.
  const listing = listUntagged(client, spec, both, candidates, log);
  listing.catch(() => {});
  try {
    const type = await indexType(client, spec.indexRegion, both).catch((e) => {
      stop.abort();
      throw e;
    });
    await listing;
    const local = type === "LOCAL" ? describeError(localIndexError(spec.indexRegion)) : null;
    log.debug("Resource Explorer pass done", {
      account_id: spec.account.id,
      account_name: spec.account.name,
      index_region: spec.indexRegion,
      index_type: type,
      never_tagged: candidates.size,
    });
    return candidates.finish(log, (region) => region === spec.indexRegion ? null : local);
  } catch (e) {
    stop.abort();
    throw signal.aborted ? signal.reason : e;
  }
}

async function indexType(
  client: ResourceExplorer2Client,
  region: string,
  signal: AbortSignal,
): Promise<string> {
  try {
    const out = await client.send(new GetIndexCommand({}), { abortSignal: signal });
    return out.Type ?? "LOCAL";
  } catch (e) {
    throw explorerError(e, "GetIndex", region);
  }
}

async function listUntagged(
  client: ResourceExplorer2Client,
  spec: PassSpec,
  signal: AbortSignal,
  candidates: AccountCandidates,
  log: Logger,
): Promise<void> {
  let token: string | undefined;
  for (let page = 1;; page++) {
    let out;
    try {
      out = await client.send(
        new ListResourcesCommand({
          Filters: { FilterString: UNTAGGED_FILTER },
          MaxResults: EXPLORER_PAGE_SIZE,
          ViewArn: spec.viewArn ?? undefined,
          NextToken: token,
        }),
        { abortSignal: signal },
      );
    } catch (e) {
      throw explorerError(e, "ListResources", spec.indexRegion);
    }
    for (const r of out.Resources ?? []) {
      const c = untaggedCandidate(r);
      if (c !== null) candidates.add(c);
    }
    const next = out.NextToken;
    if (!next) return;
    if (next === token) {
      log.warn("ListResources returned the token it was given; paging stops here", {
        account_id: spec.account.id,
        account_name: spec.account.name,
        region: spec.indexRegion,
        page,
      });
      return;
    }
    token = next;
  }
}
