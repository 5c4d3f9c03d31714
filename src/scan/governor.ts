/** What the governor steers: p-limit's settable `concurrency`. */
export interface Pool {
  concurrency: number;
}

export interface GovernorOptions {
  /** The pool never goes below this (nor starts above it). */
  readonly min: number;
  /** Nor above this. */
  readonly max: number;
  /** How often the event loop is sampled (ms; default 10). */
  readonly sampleMs?: number;
  /** Samples per adjustment (default 10: about every 100 ms). */
  readonly samplesPerStep?: number;
  /** Milliseconds of a monotonic clock (default `performance.now`). */
  readonly now?: () => number;
  /**
   * The longest the event loop may lag (ms): a step with a sample later than
   * this shrinks the pool whatever its idle share, and never grows it. Set
   * by serve, whose `/health` and `/metrics` wait behind every answer queued
   * on the one JavaScript thread. Default: no bound (scan, report).
   */
  readonly maxLagMs?: number;
}

/** A sample that fires at most this late (ms) found the event loop waiting for I/O. */
export const ON_TIME_MS = 1;
/** Above this share of on-time samples the scan mostly waits on AWS: grow. */
export const GROW_ABOVE_IDLE = 0.3;
/** Below it the JavaScript thread is saturated (answers wait for it in memory): shrink. */
export const SHRINK_BELOW_IDLE = 0.1;

/**
 * Sizes a scan's pool to the work while it runs. A short timer samples the
 * event loop: a sample that fires on time found it idle, waiting for AWS; a
 * late one found it busy. When more than 30 % of a step's samples are on
 * time, the pool grows by half, up to `max`; when under 10 % are, the one
 * JavaScript thread is saturated (answers arrive faster than they are
 * evaluated, or other processes hold the cores) and the pool shrinks by a
 * quarter, down to `min`, since more answers in flight would only wait in
 * memory. Measured on the organisation benchmark (5,100 small targets): at
 * zero latency a pool of 256 used 150 MiB more memory and more CPU than one
 * of 32 for the same wall time; at 100 ms per call well over 100 were needed.
 *
 * @example
 * const limit = pLimit(32);
 * const governor = new PoolGovernor(limit, { min: 32, max: 256 });
 * governor.start();
 * try { await Promise.all(targets.map((t) => limit(() => scan(t)))); } finally { governor.stop(); }
 */
export class PoolGovernor {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #now: () => number;
  #onTime = 0;
  #samples = 0;
  #latest = 0;

  constructor(private readonly pool: Pool, private readonly opts: GovernorOptions) {
    this.#now = opts.now ?? (() => performance.now());
    pool.concurrency = Math.max(1, Math.min(opts.min, opts.max));
  }

  /** Starts sampling; `stop` must follow. */
  start(): void {
    const every = this.opts.sampleMs ?? 10;
    const next = () => {
      const due = this.#now() + every;
      this.#timer = setTimeout(() => {
        this.sample(this.#now() - due);
        next();
      }, every);
    };
    next();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One sample: how late (ms) a timer fired; every `samplesPerStep`, an adjustment. */
  sample(lateMs: number): void {
    if (lateMs <= ON_TIME_MS) this.#onTime++;
    this.#latest = Math.max(this.#latest, lateMs);
    if (++this.#samples < (this.opts.samplesPerStep ?? 10)) return;
    this.adjust(this.#onTime / this.#samples, this.#latest);
    this.#onTime = 0;
    this.#samples = 0;
    this.#latest = 0;
  }

  /**
   * Grows or shrinks the pool for `idle`, the share of a step's samples that
   * fired on time, and `latestMs`, the latest of them (checked against `maxLagMs`).
   */
  adjust(idle: number, latestMs = 0): void {
    const max = this.opts.max;
    const min = Math.min(this.opts.min, max);
    const now = this.pool.concurrency;
    const lagging = latestMs > (this.opts.maxLagMs ?? Infinity);
    if (idle > GROW_ABOVE_IDLE && !lagging) {
      this.pool.concurrency = Math.min(max, Math.ceil(now * 1.5));
    } else if (idle < SHRINK_BELOW_IDLE || lagging) {
      this.pool.concurrency = Math.max(min, Math.floor(now * 0.75));
    }
  }
}
