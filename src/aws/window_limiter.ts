import { type CallLimiter, sleep } from "./rate_limiter.ts";

/**
 * At most `limit` calls in any `windowMs` (a sliding window), for a quota
 * stated as "N calls per second" that AWS counts over the calls it received
 * in the last second: Resource Explorer's 3 per account and region. Unlike
 * `PaceLimiter`'s even spacing, the first N calls go at once, so a pass of
 * one or two pages (with its GetIndex) waits for nothing, while a long pass
 * is held to N per window. The window is given a little over a second, so
 * network jitter cannot put N+1 of our calls into one of AWS's seconds.
 *
 * @example
 * const limiter = new WindowLimiter(3, 1100);
 * limiter.reserve(); limiter.reserve(); limiter.reserve(); // 0, 0, 0
 * limiter.reserve(); // 1100: the fourth waits for the first to leave the window
 */
export class WindowLimiter implements CallLimiter {
  /** Start times of the last `limit` reservations, ascending. */
  #starts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reserves the next free slot and returns how many ms to wait for it. */
  reserve(): number {
    const now = this.now();
    const at = this.#starts.length < this.limit
      ? now
      : Math.max(now, this.#starts[0] + this.windowMs);
    this.#starts.push(at);
    if (this.#starts.length > this.limit) this.#starts.shift();
    return at - now;
  }

  /** Waits for the next slot; rejects with the signal's reason on abort. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, signal);
  }
}
