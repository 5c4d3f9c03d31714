/**
 * Scripted errors for the Organizations, Account and Resource Explorer
 * fakes: the first `times` calls matching a fault get its error instead of an
 * answer. Faults are read live from the options, so a test may push one
 * between two calls.
 *
 * @module
 */

import type { ServiceCall, ServiceState } from "./context.ts";

/** One scripted error. Unset matchers match every call. */
export interface FakeFault {
  /** Operation name, e.g. "ListAccounts", "ListRegions", "ListResources". */
  op?: string;
  /** Caller account. */
  account?: string;
  /** SigV4 region of the call. */
  region?: string;
  /** Error code the SDK will report as the exception `name`, e.g. "TooManyRequestsException". */
  code: string;
  /** HTTP status; default: the status the service's model gives `code`. */
  status?: number;
  message?: string;
  /** Organizations only: the `Reason` member of InvalidInputException (e.g. "INVALID_NEXT_TOKEN"). */
  reason?: string;
  /** How many matching calls fail (default 1; `Infinity` for every call). */
  times?: number;
}

/** Remembers how often each fault fired; one per service per fake. */
export class FaultBook {
  #used = new Map<FakeFault, number>();

  /** The first fault in `faults` that matches the call and has uses left; consumes one use. */
  take(
    faults: FakeFault[] | undefined,
    op: string,
    account: string,
    region: string,
  ): FakeFault | undefined {
    for (const f of faults ?? []) {
      if (f.op !== undefined && f.op !== op) continue;
      if (f.account !== undefined && f.account !== account) continue;
      if (f.region !== undefined && f.region !== region) continue;
      const used = this.#used.get(f) ?? 0;
      if (used >= (f.times ?? 1)) continue;
      this.#used.set(f, used + 1);
      return f;
    }
    return undefined;
  }
}

/**
 * The checks every added service runs before its own: the rate limit on
 * `key`, then the scripted faults. Returns "throttled", the fault to answer
 * with, or undefined to go on; counts what it refused in the service's stats.
 */
export function preflight(
  state: ServiceState,
  key: string,
  faults: FakeFault[] | undefined,
  call: ServiceCall,
): "throttled" | FakeFault | undefined {
  if (!state.limiter.admit(key, call.receivedAt)) {
    state.stats.rateViolation(key);
    return "throttled";
  }
  const fault = state.faults.take(faults, call.op, call.account, call.region);
  if (fault) state.stats.injected++;
  return fault;
}
