/**
 * Cancellable delays for injected latency.
 *
 * Every pending timer is tracked so `close()` can clear them: a dangling
 * setTimeout would trip Deno's op sanitizer in the tests using the fake.
 *
 * @module
 */

/** Tracks pending delays so they can all be cut short at shutdown. */
export class Sleeper {
  #pending = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;

  /** Resolves after `ms`, or immediately once `cancelAll()` ran. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const id = setTimeout(() => {
        this.#pending.delete(id);
        resolve();
      }, ms);
      this.#pending.set(id, resolve);
    });
  }

  /** Clears every pending timer and releases its waiter. */
  cancelAll(): void {
    this.#closed = true;
    for (const [id, resolve] of this.#pending) {
      clearTimeout(id);
      resolve();
    }
    this.#pending.clear();
  }
}
