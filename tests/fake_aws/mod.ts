/**
 * Fake AWS endpoint on loopback that speaks the real wire protocols (STS over
 * AWS Query/XML, Resource Groups Tagging API over awsJson1.1), so tests drive
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

import type { FakeContext } from "./context.ts";
import { IdentityRegistry } from "./identity.ts";
import { mulberry32 } from "./prng.ts";
import { RateLimiter } from "./rate_limit.ts";
import { serve } from "./server.ts";
import { FakeStats } from "./stats.ts";
import type { FakeAwsOptions } from "./types.ts";

export type {
  AssumeRoleRecord,
  FakeAwsOptions,
  FakeComplianceDetails,
  FakeResource,
  LazyResources,
  RegionInventory,
} from "./types.ts";
export { type FakeAction, FakeStats, type InjectedFaults } from "./stats.ts";
export { DEFAULT_PAGE_SIZE } from "./tagging.ts";

/** Account of the base (non-assumed) credentials when not configured. */
export const DEFAULT_BASE_ACCOUNT_ID = "000000000000";

/** A running fake. */
export interface FakeAws {
  /** Endpoint for SDK clients, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  /** Live counters. */
  stats: FakeStats;
  /** Stops the server; resolves once no request, timer or socket is left open. */
  close(): Promise<void>;
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
  };
  const server = serve(ctx);
  return Promise.resolve({ url: server.url, stats, close: server.close });
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
