/**
 * Public option and data types of the fake AWS endpoint.
 *
 * Kept apart from the implementation so tests can import the shapes without
 * pulling in the server.
 *
 * @module
 */

import type { FakeExplorerOptions } from "./explorer_types.ts";
import type { FakeFault } from "./faults.ts";
import type { FakeOrganization } from "./org_types.ts";

/** One taggable resource as GetResources returns it. */
export interface FakeResource {
  ResourceARN: string;
  Tags: { Key: string; Value: string }[];
  /**
   * AWS's tag policy verdict, returned only when a request sets
   * `IncludeComplianceDetails` (then absent means compliant, no keys).
   */
  ComplianceDetails?: FakeComplianceDetails;
}

/** GetResources' `ComplianceDetails` of one resource. */
export interface FakeComplianceDetails {
  NoncompliantKeys: string[];
  KeysWithNoncompliantValues: string[];
  ComplianceStatus: boolean;
}

/**
 * Lazily generated resource list, for data sets too big to materialise
 * (e.g. 100k resources): `get(i)` is called only for the slice a page needs.
 */
export interface LazyResources {
  count: number;
  get(i: number): FakeResource;
}

/** Resources of one account/region: a plain array or a lazy generator. */
export type RegionInventory = FakeResource[] | LazyResources;

/** Behaviour knobs of the fake. Everything except `inventory` is optional. */
export interface FakeAwsOptions {
  /**
   * account id -> region -> resources. An account that is absent here (and is
   * not `baseAccountId`) does not exist: AssumeRole into it is AccessDenied.
   * A region absent for a known account simply has no resources.
   */
  inventory: Record<string, Record<string, RegionInventory>>;
  /** Account the *base* credentials belong to (default "000000000000"). */
  baseAccountId?: string;
  /** Milliseconds added before answering every call (every service). */
  latencyMs?: number;
  /** Serve HTTPS with this PEM certificate and key; the url is then `https://localhost:PORT`. */
  tls?: { readonly cert: string; readonly key: string };
  /**
   * The first `times` (default 1) calls of `action` wait `latencyMs` instead
   * of the global `latencyMs`, e.g. one AssumeRole that hangs for a minute
   * while the retry on the next scan is answered at once. Like `latencyMs`,
   * `close()` cuts the wait short.
   */
  slowCalls?: {
    /** STS/Tagging action or an operation of the other services, e.g. "ListAccounts". */
    action: string;
    latencyMs: number;
    times?: number;
  }[];
  /**
   * GetResources calls allowed per account/region per sliding 1 s window of
   * *received* calls (default 15; 0 disables). Calls over it get
   * ThrottledException and are counted in `stats.rateViolations`.
   */
  rateLimitPerSecond?: number;
  /** Fraction 0..1 of GetResources calls answered ThrottledException (seeded PRNG). */
  throttleRate?: number;
  /** Fraction 0..1 of GetResources calls answered InternalServiceException (HTTP 500). */
  internalErrorRate?: number;
  /** Seed of the PRNG driving throttleRate/internalErrorRate (default 1). */
  seed?: number;
  /** AssumeRole into these accounts -> STS AccessDenied (HTTP 403). */
  deniedAccounts?: string[];
  /** account -> external id the role's trust policy requires (missing/wrong -> AccessDenied). */
  requireExternalId?: Record<string, string>;
  /**
   * Every GetResources for this target fails with `code` (default
   * AccessDeniedException) and `status` (default: the code's usual AWS status,
   * 400 for AccessDeniedException; pass 403 to mimic an SCP/IAM edge deny).
   */
  failRegion?: {
    account: string;
    region: string;
    code?: string;
    message?: string;
    status?: number;
  }[];
  /**
   * The request for page N (0-based) of a target fails permanently with `code`
   * (default InternalServiceException); pages before it succeed, so a client
   * sees a partial result followed by an error.
   */
  failAtPage?: { account: string; region: string; page: number; code?: string }[];
  /**
   * The request presenting the token for page N (N >= 1) gets
   * PaginationTokenExpiredException, `times` times (default 1).
   */
  expireTokenAtPage?: { account: string; region: string; page: number; times?: number }[];
  /**
   * Tokens that cycle: the answer to page `page` of a target carries the very
   * token that fetched page `to` (1 <= to <= page), e.g. page 2 -> page 1's
   * token: A -> B -> A. A client that follows tokens blindly never ends.
   */
  cycleTokens?: { account: string; region: string; page: number; to: number }[];
  /**
   * Hostile answers: the first `times` (default: every) calls of `action` get
   * this status (default 200), content type and body verbatim, e.g. truncated
   * JSON or XML, or a 2 MB error message. Checked after authentication.
   */
  rawAnswers?: {
    action: "AssumeRole" | "GetCallerIdentity" | "GetResources";
    body: string;
    status?: number;
    contentType?: string;
    times?: number;
    /** Send the body chunked, with no Content-Length. */
    chunked?: boolean;
  }[];
  /**
   * `action` fails with AccessDenied(Exception) whose message repeats the
   * request's X-Amz-Security-Token header and ExternalId parameter, as a proxy
   * or emulator might (AWS does not).
   */
  echoSecrets?: "AssumeRole" | "GetResources";
  /** Max ResourcesPerPage (default 100, the AWS limit); above it -> InvalidParameterException. */
  maxPageSize?: number;
  /** Lifetime of AssumeRole credentials in seconds (default DurationSeconds or 3600). */
  credentialExpirySeconds?: number;
  /**
   * Reject calls signed with issued credentials past their Expiration with
   * ExpiredToken(Exception), like AWS does (default true).
   */
  enforceCredentialExpiry?: boolean;
  /**
   * Tag policy GetResources evaluates when asked for IncludeComplianceDetails
   * (every account). Without one, every resource is compliant.
   */
  tagPolicy?: FakeTagPolicy;
  /** Per-account tag policy, overriding `tagPolicy` (null: no policy for that account). */
  tagPolicyByAccount?: Record<string, FakeTagPolicy | null>;
  /** The organization (AWS Organizations). Absent: every call gets AWSOrganizationsNotInUseException. */
  organization?: FakeOrganization;
  /** Behaviour of the Account API (ListRegions). */
  accountApi?: FakeAccountApiOptions;
  /** Behaviour of Resource Explorer. Absent: no account has an index. */
  resourceExplorer?: FakeExplorerOptions;
}

/** One key of a tag policy, as the effective policy states it. */
export interface FakeTagPolicyKey {
  /** Key with the capitalisation the policy requires (`tag_key`). */
  key: string;
  /** Allowed values (`tag_value`); a trailing `*` matches any suffix. Absent: any value. */
  values?: string[];
  /** Reported in MissingTagKeys when absent (`report_required_tag_for`). */
  required?: boolean;
}

/** A simple effective tag policy. */
export interface FakeTagPolicy {
  keys: FakeTagPolicyKey[];
}

/** Opt-in status of a region (model enum RegionOptStatus). */
export type RegionOptStatus =
  | "ENABLED"
  | "ENABLING"
  | "DISABLING"
  | "DISABLED"
  | "ENABLED_BY_DEFAULT";

/** Behaviour of the Account API. */
export interface FakeAccountApiOptions {
  /**
   * account -> region -> status, laid over `DEFAULT_REGION_OPT_STATUS` (the
   * 17 regions enabled by default and the opt-in regions, DISABLED). Read live.
   */
  regions?: Record<string, Record<string, RegionOptStatus>>;
  /** Callers (accounts) denied by IAM -> 403 AccessDeniedException. */
  deniedAccounts?: string[];
  /** ListRegions calls allowed per caller account per sliding second (default 5; 0 = off) -> 429. */
  rateLimitPerSecond?: number;
  /** Scripted errors, e.g. `{ op: "ListRegions", code: "InternalServerException" }`. */
  faults?: FakeFault[];
}

/** Parameters of one AssumeRole request, as received. */
export interface AssumeRoleRecord {
  RoleArn?: string;
  RoleSessionName?: string;
  ExternalId?: string;
  DurationSeconds?: number;
  /** Account of the caller that asked (from its access key id). */
  callerAccount: string;
}
