/** How many connections `serve` keeps, and how long it lets them idle or stall. */
export interface ConnectionLimits {
  /**
   * Connections open at once. One more evicts the connection idle the
   * longest (no request in flight), or is closed at once when every
   * connection is busy, so idle connections cannot exhaust descriptors as
   * long as this stays below the descriptor limit (`ulimit -n`) less what
   * the rest of the process needs (about 64).
   */
  readonly maxConnections: number;
  /**
   * A connection must send a complete request head within this long of
   * opening or of its last response (keep-alive), or it is closed: an idle
   * connection, or one trickling its headers (slowloris).
   */
  readonly idleTimeoutMs: number;
  /** A response write that makes no progress for this long closes its connection (a client that stopped reading). */
  readonly stallTimeoutMs: number;
}

/** The defaults, documented in docs/serve.md ("Connections and descriptors"). */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 256,
  idleTimeoutMs: 30_000,
  stallTimeoutMs: 60_000,
};

/** What the guard closes: a `Deno.Conn`, or anything with `close()`. */
export interface Closable {
  close(): void;
}

interface State {
  /** True while a request is being answered. */
  busy: boolean;
  /** Closes the connection unless a request starts first. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Keeps a server's connections within `ConnectionLimits`: admits or refuses
 * new ones, evicts the longest-idle at the cap, and closes a connection that
 * stays idle past the idle timeout. Connections are kept in the order they
 * last became idle, so the first idle one found is the one idle the longest.
 * (The stall timeout is the writer's: see `http_listener.ts`.)
 *
 * @example
 * const guard = new ConnectionGuard({ maxConnections: 64 });
 * if (!guard.admit(conn)) conn.close();
 */
export class ConnectionGuard<C extends Closable = Closable> {
  readonly limits: ConnectionLimits;
  readonly #conns = new Map<C, State>();
  #draining = false;

  constructor(limits: Partial<ConnectionLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Connections open now. */
  get open(): number {
    return this.#conns.size;
  }

  /** True once `drain` was called: no connection is kept alive after its response. */
  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Takes a new connection, idle, evicting the longest-idle one at the cap.
   * False when it cannot be taken (every connection is busy, or draining):
   * the caller closes it.
   */
  admit(conn: C): boolean {
    if (this.#draining) return false;
    if (this.#conns.size >= this.limits.maxConnections) {
      const idle = [...this.#conns].find(([, s]) => !s.busy);
      if (idle === undefined) return false;
      this.#close(idle[0]);
    }
    this.#conns.set(conn, { busy: false, timer: undefined });
    this.idle(conn);
    return true;
  }

  /** The connection waits for a request head: closed if none completes in time. */
  idle(conn: C): void {
    const state = this.#conns.get(conn);
    if (state === undefined) return;
    if (this.#draining) return this.#close(conn);
    clearTimeout(state.timer);
    state.busy = false;
    // Now the most recently idle: to the end of the eviction order.
    this.#conns.delete(conn);
    this.#conns.set(conn, state);
    state.timer = setTimeout(() => this.#close(conn), this.limits.idleTimeoutMs);
  }

  /** A request head arrived: the connection is answered, not evicted. */
  busy(conn: C): void {
    const state = this.#conns.get(conn);
    if (state === undefined) return;
    clearTimeout(state.timer);
    state.timer = undefined;
    state.busy = true;
  }

  /** The connection ended; forgets it. */
  release(conn: C): void {
    clearTimeout(this.#conns.get(conn)?.timer);
    this.#conns.delete(conn);
  }

  /** Closes idle connections now and refuses new ones; busy ones end after their response. */
  drain(): void {
    this.#draining = true;
    for (const [conn, state] of [...this.#conns]) if (!state.busy) this.#close(conn);
  }

  #close(conn: C): void {
    this.release(conn);
    try {
      conn.close();
    } catch {
      // Already closed by its reader or writer.
    }
  }
}
