/**
 * Fake AWS endpoint on loopback that speaks the real wire protocols (STS over
 * AWS Query/XML, Resource Groups Tagging API and Organizations over
 * awsJson1.1, Account and Resource Explorer over restJson1), so tests drive
 * the real SDK clients over HTTP instead of mocking `client.send`.
 *
 * @example
 * ```ts
 * const fake = await startFakeAws({ inventory: { "111111111111": { "us-east-1": [] } } });
 * try {
 *   // new STSClient({ endpoint: fake.url, region: "us-east-1", credentials: ... })
 * } finally {
 *   await fake.close();
 * }
 * ```
 *
 * @module
 */

import { enabledRegions, regionStatuses } from "./account_api.ts";
import type { FakeContext } from "./context.ts";
import { neverTaggedCounts } from "./explorer_index.ts";
import type { FakeExplorerResource } from "./explorer_types.ts";
import { viewArn } from "./explorer_views.ts";
import { FaultBook } from "./faults.ts";
import { IdentityRegistry } from "./identity.ts";
import { OrgTree } from "./org_tree.ts";
import { mulberry32 } from "./prng.ts";
import { RateLimiter } from "./rate_limit.ts";
import { serve } from "./server.ts";
import { FakeStats } from "./stats.ts";
import type { FakeAwsOptions, RegionOptStatus } from "./types.ts";

export type {
  AssumeRoleRecord,
  FakeAccountApiOptions,
  FakeAwsOptions,
  FakeComplianceDetails,
  FakeResource,
  FakeTagPolicy,
  FakeTagPolicyKey,
  LazyResources,
  RegionInventory,
  RegionOptStatus,
} from "./types.ts";
export type {
  FakeAccountState,
  FakeAccountStatus,
  FakeOrgAccount,
  FakeOrganization,
  FakeOrgUnit,
} from "./org_types.ts";
export type {
  FakeExplorerIndex,
  FakeExplorerOptions,
  FakeExplorerResource,
  FakeExplorerView,
} from "./explorer_types.ts";
export type { FakeFault } from "./faults.ts";
export { type FakeAction, FakeStats, type InjectedFaults } from "./stats.ts";
export { type ServiceRequest, ServiceStats } from "./service_stats.ts";
export { DEFAULT_PAGE_SIZE } from "./tagging.ts";
export { DEFAULT_ENABLED_REGIONS, OPT_IN_REGIONS } from "./account_api.ts";
export { DEFAULT_ORG_ID, DEFAULT_ROOT_ID, OrgTree } from "./org_tree.ts";
export { typeOfArn } from "./explorer_index.ts";

/** Account of the base (non-assumed) credentials when not configured. */
export const DEFAULT_BASE_ACCOUNT_ID = "000000000000";

/** A running fake. */
export interface FakeAws {
  /** Endpoint for SDK clients, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Live counters. */
  stats: FakeStats;
  /**
   * The organization as the fake serves it right now (reads and edits
   * `opts.organization`): ground truth such as `accountsUnder(ouId)` and
   * mutations such as `addAccount`/`setAccountState` between two scans.
   */
  organization: OrgTree;
  /** Ground truth of the Account API: region -> opt-in status of `account`. */
  regionStatuses(account: string): Record<string, RegionOptStatus>;
  /** Ground truth: regions of `account` that are ENABLED or ENABLED_BY_DEFAULT, sorted. */
  enabledRegions(account: string): string[];
  /** Ground truth and edits of Resource Explorer. */
  explorer: FakeExplorerHandle;
  /** Stops the server; resolves once no request, timer or socket is left open. */
  close(): Promise<void>;
}

/** Resource Explorer helpers of a running fake. */
export interface FakeExplorerHandle {
  /** Never-tagged resources of `account` by resource type, optionally only in `region` (or "global"). */
  neverTaggedCounts(account: string, region?: string): Record<string, number>;
  /** ARN of view `name` (default "default") of `account` in `region`. */
  viewArn(account: string, region: string, name?: string): string;
  /** Adds a resource only the index knows (e.g. created between two scans). */
  addNeverTagged(account: string, region: string, resource: FakeExplorerResource): void;
}

/** Starts a fake AWS endpoint on 127.0.0.1 with an ephemeral port. */
export function startFakeAws(opts: FakeAwsOptions): Promise<FakeAws> {
  const baseAccountId = opts.baseAccountId ?? DEFAULT_BASE_ACCOUNT_ID;
  const stats = new FakeStats();
  const ctx: FakeContext = {
    opts,
    baseAccountId,
    stats,
    identity: new IdentityRegistry(baseAccountId),
    limiter: new RateLimiter(opts.rateLimitPerSecond ?? 15),
    random: mulberry32(opts.seed ?? 1),
    expiriesLeft: (opts.expireTokenAtPage ?? []).map((e) => e.times ?? 1),
    slowCallsLeft: (opts.slowCalls ?? []).map((s) => s.times ?? 1),
    rawAnswersLeft: (opts.rawAnswers ?? []).map((a) => a.times ?? Infinity),
    tokens: new Map(),
    org: new OrgTree(opts),
    organizations: {
      limiter: new RateLimiter(opts.organization?.rateLimitPerSecond ?? 0),
      faults: new FaultBook(),
      stats: stats.organizations,
    },
    accountApi: {
      limiter: new RateLimiter(opts.accountApi?.rateLimitPerSecond ?? 5),
      faults: new FaultBook(),
      stats: stats.accountApi,
    },
    explorer: {
      limiter: new RateLimiter(opts.resourceExplorer?.rateLimitPerSecond ?? 3),
      faults: new FaultBook(),
      stats: stats.resourceExplorer,
    },
  };
  const explorer: FakeExplorerHandle = {
    neverTaggedCounts: (account, region) => neverTaggedCounts(opts, account, region),
    viewArn: (account, region, name = "default") => viewArn(account, region, name),
    addNeverTagged(account, region, resource) {
      const re = opts.resourceExplorer ??= { indexes: {} };
      ((re.neverTagged ??= {})[account] ??= {})[region] ??= [];
      re.neverTagged[account][region].push(resource);
    },
  };
  const server = serve(ctx);
  return Promise.resolve({
    url: server.url,
    stats,
    organization: ctx.org,
    regionStatuses: (account) => regionStatuses(opts, account),
    enabledRegions: (account) => enabledRegions(opts, account),
    explorer,
    close: server.close,
  });
}

/**
 * Runs `fn` against a fresh fake and always closes it, so a failing test
 * leaves no listener, timer or socket behind for the sanitizers.
 */
export async function withFakeAws<T>(
  opts: FakeAwsOptions,
  fn: (fake: FakeAws) => Promise<T>,
): Promise<T> {
  const fake = await startFakeAws(opts);
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}
