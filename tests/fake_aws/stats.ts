/**
 * Live counters the fake updates while it serves requests. Tests read them to
 * assert on client behaviour (concurrency, pacing, retries, secrets hygiene).
 *
 * @module
 */

import { ServiceStats } from "./service_stats.ts";
import type { AssumeRoleRecord } from "./types.ts";

/** Operation names the fake counts; `Other` collects unknown actions/targets. */
export type FakeAction = "AssumeRole" | "GetCallerIdentity" | "GetResources" | "Other";

/** Faults the fake injected, by kind. */
export interface InjectedFaults {
  /** ThrottledException from `throttleRate`. */
  throttles: number;
  /** ThrottledException from the per-target rate limit (same as `rateViolations`). */
  rateLimited: number;
  /** InternalServiceException from `internalErrorRate`. */
  internalErrors: number;
  /** Errors from `failRegion`. */
  failRegion: number;
  /** Errors from `failAtPage`. */
  failAtPage: number;
  /** PaginationTokenExpiredException from `expireTokenAtPage`. */
  tokenExpired: number;
}

/** Counters of one fake instance. All fields are live (mutated in place). */
export class FakeStats {
  /** Total calls by action. */
  calls: Record<FakeAction, number> = emptyCalls();
  /** AssumeRole calls by *target* account (taken from the RoleArn). */
  assumeRoleByAccount: Record<string, number> = {};
  /** Params of every AssumeRole request, in arrival order. */
  assumeRoleRequests: AssumeRoleRecord[] = [];
  /** GetResources calls by "account/region". */
  getResourcesByTarget: Record<string, number> = {};
  /** Arrival times (performance.now(), ms) of GetResources calls by "account/region". */
  getResourcesTimestamps: Record<string, number[]> = {};
  /** ResourcesPerPage of every GetResources call (undefined when absent). */
  resourcesPerPage: (number | undefined)[] = [];
  /** GetResources calls rejected by the per-target rate limit. */
  rateViolations = 0;
  /** Faults injected, by kind. */
  injected: InjectedFaults = emptyFaults();
  /** Requests currently being handled (all actions). */
  inFlight = 0;
  /** Highest `inFlight` seen. */
  maxInFlight = 0;
  /** Requests currently being handled, by caller account. */
  inFlightByAccount: Record<string, number> = {};
  /** Highest per-account in-flight count seen, by caller account. */
  maxInFlightByAccount: Record<string, number> = {};
  /**
   * Every SecretAccessKey and SessionToken the fake handed out. Never cleared
   * by `reset()` (the credentials stay valid), so a test can assert none of
   * them leaks into logs or metrics output.
   */
  issuedSecrets: string[] = [];
  /** Every AccessKeyId the fake handed out (these are not secret). */
  issuedAccessKeyIds: string[] = [];
  /** AWS Organizations calls. */
  readonly organizations = new ServiceStats();
  /** Account API calls (ListRegions). */
  readonly accountApi = new ServiceStats();
  /** Resource Explorer calls. */
  readonly resourceExplorer = new ServiceStats();

  /** Zero every counter except `issuedSecrets`/`issuedAccessKeyIds` and live in-flight gauges. */
  reset(): void {
    this.calls = emptyCalls();
    this.assumeRoleByAccount = {};
    this.assumeRoleRequests = [];
    this.getResourcesByTarget = {};
    this.getResourcesTimestamps = {};
    this.resourcesPerPage = [];
    this.rateViolations = 0;
    this.injected = emptyFaults();
    this.maxInFlight = this.inFlight;
    this.maxInFlightByAccount = { ...this.inFlightByAccount };
    this.organizations.reset();
    this.accountApi.reset();
    this.resourceExplorer.reset();
  }

  /** Marks a request as started; returns the function that marks it finished. */
  enter(account: string | undefined): () => void {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (account !== undefined) {
      const n = (this.inFlightByAccount[account] ?? 0) + 1;
      this.inFlightByAccount[account] = n;
      this.maxInFlightByAccount[account] = Math.max(this.maxInFlightByAccount[account] ?? 0, n);
    }
    return () => {
      this.inFlight--;
      if (account !== undefined) this.inFlightByAccount[account]--;
    };
  }
}

function emptyCalls(): Record<FakeAction, number> {
  return { AssumeRole: 0, GetCallerIdentity: 0, GetResources: 0, Other: 0 };
}

function emptyFaults(): InjectedFaults {
  return {
    throttles: 0,
    rateLimited: 0,
    internalErrors: 0,
    failRegion: 0,
    failAtPage: 0,
    tokenExpired: 0,
  };
}
