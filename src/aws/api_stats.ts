import type { ApiCounts } from "../model.ts";
import {
  addPerAttempt,
  addPerCall,
  apiName,
  type MiddlewareContext,
  type MiddlewareStackLike,
} from "./middleware.ts";

/** The APIs the exporter calls; always reported, zeros included, so the counters exist. */
export const AWS_APIS = ["GetResources", "AssumeRole", "GetCallerIdentity"] as const;

// The SDK classifies throttling by these names (and HTTP 429); the tagging API
// says ThrottledException, STS says Throttling.
const THROTTLING = new Set([
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "SlowDown",
]);

interface MutableCounts {
  requests: number;
  throttles: number;
  retries: number;
  errors: number;
}

/**
 * Counts AWS API calls by API name, from middleware on every client: an
 * attempt counter after the SDK's retry middleware sees each HTTP attempt
 * (retries included); a call counter at the top of the stack sees each call's
 * final outcome. Counts are cumulative over the life of the source.
 */
export class ApiStats {
  #counts = new Map<string, MutableCounts>();
  /** Attempts so far of each call in flight, keyed by the SDK's per-call context. */
  #attempts = new WeakMap<MiddlewareContext, number>();

  constructor() {
    for (const api of AWS_APIS) this.#of(api);
  }

  /** Adds the counting middleware to an SDK client's stack. */
  install(stack: MiddlewareStackLike): void {
    addPerCall(stack, "awsTagExporterCallStats", (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        this.#of(apiName(context)).errors++;
        throw e;
      } finally {
        this.#attempts.delete(context);
      }
    });
    addPerAttempt(stack, "awsTagExporterAttemptStats", (next, context) => async (args) => {
      const counts = this.#of(apiName(context));
      const attempt = (this.#attempts.get(context) ?? 0) + 1;
      this.#attempts.set(context, attempt);
      counts.requests++;
      if (attempt > 1) counts.retries++;
      try {
        return await next(args);
      } catch (e) {
        if (isThrottle(e)) counts.throttles++;
        throw e;
      }
    });
  }

  /** A copy of the counts, by API name. */
  snapshot(): Record<string, ApiCounts> {
    return Object.fromEntries([...this.#counts].map(([api, c]) => [api, { ...c }]));
  }

  #of(api: string): MutableCounts {
    let c = this.#counts.get(api);
    if (!c) this.#counts.set(api, c = { requests: 0, throttles: 0, retries: 0, errors: 0 });
    return c;
  }
}

/** True when an SDK error says the caller was throttled. */
export function isThrottle(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const err = e as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  return THROTTLING.has(err.name ?? "") || err.$metadata?.httpStatusCode === 429 ||
    err.$retryable?.throttling === true;
}
