import { addPerAttempt, callSignal, type MiddlewareStackLike } from "./middleware.ts";

/** What paces a client's HTTP attempts: `PaceLimiter`, `WindowLimiter`. */
export interface CallLimiter {
  /** Waits for the next slot; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
}

/**
 * Spaces calls at least `1 / perSecond` seconds apart (a token bucket of
 * capacity one). No burst is allowed on purpose: AWS counts GetResources calls
 * per account-region in a sliding second, and a bucket that allows a burst of
 * N and refills N/s lets 2N calls into one second. Even spacing keeps any
 * one-second window at or under `ceil(perSecond)` calls, with room for network
 * jitter.
 *
 * Hand-written (a dozen lines) because the usual libraries (p-throttle,
 * bottleneck) are not dependencies, and the SDK's own `DefaultRateLimiter`
 * (adaptive retry mode) starts unlimited and only slows down after being
 * throttled, which is the waste this exists to avoid.
 */
export class PaceLimiter implements CallLimiter {
  #next = -Infinity;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reserves the next free slot and returns how many ms to wait for it. */
  reserve(): number {
    if (!Number.isFinite(this.perSecond)) return 0;
    const now = this.now();
    const at = Math.max(now, this.#next);
    this.#next = at + 1000 / this.perSecond;
    return at - now;
  }

  /** Waits for the next slot; rejects with the signal's reason on abort. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}

/**
 * Makes every HTTP attempt of a client (first tries and SDK retries alike)
 * wait for `limiter`. Installed after the retry middleware, so a retry of a
 * throttled call is paced like any other call. The wait ends early when the
 * call's own signal (`send`'s `abortSignal`) aborts, so a client shared by
 * many targets never holds one target's signal.
 */
export function installRateLimit(stack: MiddlewareStackLike, limiter: CallLimiter): void {
  addPerAttempt(stack, "awsTagExporterRateLimit", (next, context) => async (args) => {
    await limiter.acquire(callSignal(context));
    return next(args);
  });
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
