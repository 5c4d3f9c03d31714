/** What the cache holds per key: anything, with an optional expiry. */
export interface Expiring {
  readonly expiration?: Date;
}

export interface CredentialCacheOptions {
  /**
   * Refresh when less than this is left (ms; default 10 minutes), or less than
   * half the session's lifetime when that is shorter.
   */
  readonly refreshBeforeMs?: number;
  /** How long a failure is remembered (ms; default 60 s). */
  readonly failureTtlMs?: number;
  /**
   * How long a fetch may stay pending before the next `get` starts another
   * (ms; default 60 s): the bound of the fetch's own timeout, so a fetch that
   * never settles cannot fail its key for the life of the process.
   */
  readonly pendingTimeoutMs?: number;
  readonly now?: () => number;
}

interface Entry<T> {
  readonly promise: Promise<T>;
  /** When the fetch started. */
  readonly startedAt: number;
  /** Set when settled. */
  settled?: { ok: true; value: T } | { ok: false; at: number };
}

/**
 * A per-key cache of credentials (or of "this account was verified") that
 * fetches each key once, shares the pending fetch between concurrent callers
 * (all regions of an account wait for one AssumeRole), and fetches again
 * shortly before expiry, so a long scan or a long-running server never signs
 * with an expired session. A failure is remembered for `failureTtlMs`, so an
 * account's other regions fail with the same reason without calling STS
 * again, while a later scan of a reused source retries; so does a fetch
 * still pending past its bound (a hung call). No clock or I/O of its own:
 * `load` and `now` are given.
 */
export class CredentialCache<K, T extends Expiring> {
  #entries = new Map<K, Entry<T>>();
  #refreshBeforeMs: number;
  #failureTtlMs: number;
  #pendingTimeoutMs: number;
  #now: () => number;

  constructor(private readonly load: (key: K) => Promise<T>, opts: CredentialCacheOptions = {}) {
    this.#refreshBeforeMs = opts.refreshBeforeMs ?? 10 * 60_000;
    this.#failureTtlMs = opts.failureTtlMs ?? 60_000;
    this.#pendingTimeoutMs = opts.pendingTimeoutMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * The cached value of `key`, fetching it when absent, near expiry, failed
   * long enough ago, or pending for longer than `pendingTimeoutMs`.
   */
  get(key: K): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && !this.#stale(entry)) return entry.promise;
    const fresh: Entry<T> = { promise: this.load(key), startedAt: this.#now() };
    this.#entries.set(key, fresh);
    fresh.promise.then(
      (value) => fresh.settled = { ok: true, value },
      () => fresh.settled = { ok: false, at: this.#now() },
    );
    return fresh.promise;
  }

  /**
   * Forgets failed fetches, so the next `get` tries again. Called when a scan
   * starts: within one scan an account's regions share one failure, but every
   * scan retries, whatever the failure TTL.
   */
  forgetFailures(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.settled !== undefined && !entry.settled.ok) this.#entries.delete(key);
    }
  }

  /** Forgets `key`'s value, fetched or pending: the next `get` fetches it again. */
  forget(key: K): void {
    this.#entries.delete(key);
  }

  #stale(entry: Entry<T>): boolean {
    const s = entry.settled;
    const now = this.#now();
    if (s === undefined) return now - entry.startedAt >= this.#pendingTimeoutMs;
    if (!s.ok) return now - s.at >= this.#failureTtlMs;
    const expires = s.value.expiration?.getTime();
    if (expires === undefined) return false;
    // Short sessions refresh at half-life, so they are not refetched on every call.
    const margin = Math.min(this.#refreshBeforeMs, (expires - entry.startedAt) / 2);
    return expires - now < margin;
  }
}
