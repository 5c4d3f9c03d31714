/**
 * Option and data types of the fake AWS Organizations service. Everything
 * here is read live: a test may edit the object it passed (or use the
 * `FakeAws.organization` helpers) between two calls.
 *
 * @module
 */

import type { FakeFault } from "./faults.ts";

/** Account lifecycle states of the `State` field (model enum AccountState). */
export type FakeAccountState =
  | "PENDING_ACTIVATION"
  | "ACTIVE"
  | "SUSPENDED"
  | "PENDING_CLOSURE"
  | "CLOSED";

/** Values of the older `Status` field (model enum AccountStatus). */
export type FakeAccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

/** One member account. */
export interface FakeOrgAccount {
  Id: string;
  Name: string;
  /** Default `aws+<Id>@example.com`. */
  Email?: string;
  /** Default ACTIVE. */
  State?: FakeAccountState;
  /**
   * Default derived from State: CLOSED -> SUSPENDED (a closed account in its
   * post-closure period shows as suspended), PENDING_ACTIVATION -> ACTIVE,
   * otherwise the same word.
   */
  Status?: FakeAccountStatus;
  /** Default CREATED. */
  JoinedMethod?: "INVITED" | "CREATED";
  /** Default 2020-01-01T00:00:00Z. */
  JoinedTimestamp?: Date;
  /** Root or OU the account sits in (default: the root). */
  parentId?: string;
}

/** One organizational unit. Ids look like `ou-ab12-abcdefgh`. */
export interface FakeOrgUnit {
  Id: string;
  Name: string;
  /** Root or OU id. */
  parentId: string;
}

/** The organization the fake serves. */
export interface FakeOrganization {
  /** Account that may call every List* operation. List it in `accounts` too, as AWS does. */
  managementAccountId: string;
  /** Default "o-a1b2c3d4e5". */
  id?: string;
  /** Default "r-ab12". */
  rootId?: string;
  units?: FakeOrgUnit[];
  accounts: FakeOrgAccount[];
  /** Member accounts that are delegated administrators (may list like the management account). */
  delegatedAdmins?: string[];
  /** Callers denied by IAM even if they are the management account -> AccessDeniedException. */
  deniedCallers?: string[];
  /** false -> every call gets AWSOrganizationsNotInUseException (default true). */
  inUse?: boolean;
  /** Leave `State` out of Account objects (the API before State existed). */
  omitState?: boolean;
  /** Leave `Status` out of Account objects (the API after Status is retired). */
  omitStatus?: boolean;
  /**
   * Every Nth page of a listing (N >= 2) is answered empty with a NextToken
   * that resumes where it stood, as AWS documents List* calls may do.
   * Default 3; 0 turns it off.
   */
  emptyPageEvery?: number;
  /**
   * The page holding the last items still carries a NextToken; the call
   * after it gets an empty page without one. Default false.
   */
  trailingEmptyPage?: boolean;
  /** Calls allowed per caller account per sliding second; over it -> TooManyRequestsException. Default 0 (off). */
  rateLimitPerSecond?: number;
  /** Scripted errors, e.g. `{ op: "ListChildren", code: "TooManyRequestsException", times: 2 }`. */
  faults?: FakeFault[];
}
