/**
 * State shared by the protocol handlers of one fake instance.
 *
 * @module
 */

import type { FaultBook } from "./faults.ts";
import type { IdentityRegistry } from "./identity.ts";
import type { OrgTree } from "./org_tree.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { ServiceStats } from "./service_stats.ts";
import type { FakeStats } from "./stats.ts";
import type { FakeAwsOptions } from "./types.ts";

/** Limiter, fault book and records of one of the services added after STS/Tagging. */
export interface ServiceState {
  limiter: RateLimiter;
  faults: FaultBook;
  stats: ServiceStats;
}

/** Everything a handler needs; one per `startFakeAws` call. */
export interface FakeContext {
  opts: FakeAwsOptions;
  baseAccountId: string;
  stats: FakeStats;
  identity: IdentityRegistry;
  limiter: RateLimiter;
  /** Seeded uniform [0, 1) generator for probabilistic fault injection. */
  random: () => number;
  /** Remaining PaginationTokenExpiredException answers, by expireTokenAtPage index. */
  expiriesLeft: number[];
  /** Remaining slowed calls, by slowCalls index. */
  slowCallsLeft: number[];
  /** Remaining hostile answers, by rawAnswers index. */
  rawAnswersLeft: number[];
  /** Tokens handed out, by "account/region#page", for cycleTokens. */
  tokens: Map<string, string>;
  /** Live view of `opts.organization`. */
  org: OrgTree;
  organizations: ServiceState;
  accountApi: ServiceState;
  explorer: ServiceState;
}

/** One parsed JSON call to Organizations, Account or Resource Explorer. */
export interface ServiceCall {
  /** Operation name, e.g. "ListAccounts". */
  op: string;
  /** Parsed JSON body. */
  input: Record<string, unknown>;
  /** Caller account (from the access key id). */
  account: string;
  /** SigV4 region. */
  region: string;
  /** performance.now() at arrival, before injected latency (what rate limits see). */
  receivedAt: number;
}

/** Fresh request id, as AWS sends in x-amzn-RequestId / <RequestId>. */
export function requestId(): string {
  return crypto.randomUUID();
}
