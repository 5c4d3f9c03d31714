/**
 * Per-service records of the Organizations, Account and Resource Explorer
 * fakes: every request with its caller, input and outcome, plus counters
 * tests assert on.
 *
 * @module
 */

/** One request as the fake saw and answered it. */
export interface ServiceRequest {
  /** Operation, e.g. "ListChildren". */
  op: string;
  /** Account of the caller (from the access key id). */
  callerAccount: string;
  /** SigV4 region of the call. */
  region: string;
  /** Parsed JSON body. */
  input: Record<string, unknown>;
  /** HTTP status of the answer. */
  status: number;
  /** Error code of the answer, if it was an error. */
  errorCode?: string;
  /** Arrival time (performance.now(), ms). */
  at: number;
}

/** Counters of one service. All fields are live. */
export class ServiceStats {
  /** Calls by operation. */
  calls: Record<string, number> = {};
  /** Every request, in arrival order. */
  requests: ServiceRequest[] = [];
  /** Error answers by error code (injected or not). */
  errors: Record<string, number> = {};
  /** Calls rejected by the service's rate limit. */
  rateViolations = 0;
  /** Rate-limit rejections by limiter key (caller account, or "account/region"). */
  rateViolationsByKey: Record<string, number> = {};
  /** Errors that came from the `faults` option. */
  injected = 0;
  /** Organizations: pages answered empty although NextToken was set. */
  emptyPages = 0;
  /** Resource Explorer: results dropped by the MaxResults=1000 no-NextToken quirk. */
  truncatedResults = 0;

  /** Records one answered request. */
  record(req: ServiceRequest): void {
    this.calls[req.op] = (this.calls[req.op] ?? 0) + 1;
    this.requests.push(req);
    if (req.errorCode !== undefined) {
      this.errors[req.errorCode] = (this.errors[req.errorCode] ?? 0) + 1;
    }
  }

  /** Counts a rate-limit rejection under `key`. */
  rateViolation(key: string): void {
    this.rateViolations++;
    this.rateViolationsByKey[key] = (this.rateViolationsByKey[key] ?? 0) + 1;
  }

  /** Zeroes every counter. */
  reset(): void {
    this.calls = {};
    this.requests = [];
    this.errors = {};
    this.rateViolations = 0;
    this.rateViolationsByKey = {};
    this.injected = 0;
    this.emptyPages = 0;
    this.truncatedResults = 0;
  }
}
