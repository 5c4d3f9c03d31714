/**
 * Per-target sliding-window limiter for GetResources, mimicking the
 * Tagging API's documented per-account/region request rate.
 *
 * @module
 */

/** Sliding 1-second window of *received* calls per key ("account/region"). */
export class RateLimiter {
  #windows = new Map<string, number[]>();

  /** @param limit calls allowed per key per 1000 ms; 0 disables limiting. */
  constructor(private readonly limit: number, private readonly windowMs = 1000) {}

  /**
   * Records a call received at `now` and reports whether it exceeds the limit.
   * Rejected calls stay in the window on purpose: AWS counts every request it
   * receives, so a client that hammers through throttles stays throttled.
   */
  admit(key: string, now: number): boolean {
    if (this.limit <= 0) return true;
    const window = this.#windows.get(key) ?? [];
    while (window.length > 0 && window[0] <= now - this.windowMs) window.shift();
    window.push(now);
    this.#windows.set(key, window);
    return window.length <= this.limit;
  }
}
