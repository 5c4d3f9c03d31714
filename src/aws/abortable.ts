/**
 * Waits for `promise`, but rejects with the signal's reason as soon as
 * `signal` aborts. For promises shared between targets (an account's
 * AssumeRole), where one target's timeout must not cancel the shared call
 * yet must not keep that target waiting either.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Runs `call` with a signal that aborts when `signal` does or `ms` after the
 * start, and rejects with `timedOut()` at that deadline even if `call`
 * ignores its signal (a credential provider that hangs), so a shared call can
 * never stay pending. The timer is cleared as soon as the call settles: no
 * timer outlives it.
 *
 * @example
 * const out = await withDeadline(
 *   (signal) => client.send(command, { abortSignal: signal }),
 *   30_000,
 *   closing.signal,
 *   () => new TargetError("StsTimeout", "AssumeRole got no answer within 30s"),
 * );
 */
export async function withDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  ms: number,
  signal: AbortSignal,
  timedOut: () => Error,
): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(timedOut()), ms);
  try {
    return await abortable(call(AbortSignal.any([signal, deadline.signal])), deadline.signal);
  } catch (e) {
    // The call's own AbortError says less than the deadline's reason.
    throw deadline.signal.aborted ? deadline.signal.reason : e;
  } finally {
    clearTimeout(timer);
  }
}
