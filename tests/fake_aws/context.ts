/**
 * State shared by the protocol handlers of one fake instance.
 *
 * @module
 */

import type { IdentityRegistry } from "./identity.ts";
import type { RateLimiter } from "./rate_limit.ts";
import type { FakeStats } from "./stats.ts";
import type { FakeAwsOptions } from "./types.ts";

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
}

/** Fresh request id, as AWS sends in x-amzn-RequestId / <RequestId>. */
export function requestId(): string {
  return crypto.randomUUID();
}
