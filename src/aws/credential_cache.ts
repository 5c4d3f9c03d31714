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
 * again, while a later scan of a reused source retries. No clock or I/O of
 * its own: `load` and `now` are given.
 */
export class CredentialCache<K, T extends Expiring> {
  #entries = new Map<K, Entry<T>>();
  #refreshBeforeMs: number;
  #failureTtlMs: number;
  #now: () => number;

  constructor(private readonly load: (key: K) => Promise<T>, opts: CredentialCacheOptions = {}) {
    this.#refreshBeforeMs = opts.refreshBeforeMs ?? 10 * 60_000;
    this.#failureTtlMs = opts.failureTtlMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The cached value of `key`, fetching it when absent, stale, or failed long enough ago. */
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

  #stale(entry: Entry<T>): boolean {
    const s = entry.settled;
    if (s === undefined) return false;
    const now = this.#now();
    if (!s.ok) return now - s.at >= this.#failureTtlMs;
    const expires = s.value.expiration?.getTime();
    if (expires === undefined) return false;
    // Short sessions refresh at half-life, so they are not refetched on every call.
    const margin = Math.min(this.#refreshBeforeMs, (expires - entry.startedAt) / 2);
    return expires - now < margin;
  }
}
