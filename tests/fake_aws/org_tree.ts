/**
 * Live view of the fake organization: tree queries the Organizations handler
 * answers from, ground truth for tests, and mutations a test makes between
 * two scans. Every method reads `opts.organization` at call time, so editing
 * the options object directly is equivalent.
 *
 * @module
 */

import type {
  FakeAccountState,
  FakeAccountStatus,
  FakeOrgAccount,
  FakeOrganization,
  FakeOrgUnit,
} from "./org_types.ts";
import type { FakeAwsOptions } from "./types.ts";

/** Organization id when not configured. */
export const DEFAULT_ORG_ID = "o-a1b2c3d4e5";
/** Root id when not configured. */
export const DEFAULT_ROOT_ID = "r-ab12";

/** `Status` AWS shows for an account in `state` (when not set explicitly). */
export function statusFor(state: FakeAccountState): FakeAccountStatus {
  if (state === "CLOSED") return "SUSPENDED";
  if (state === "PENDING_ACTIVATION") return "ACTIVE";
  return state;
}

/** Tree queries and mutations over the organization in `opts`. */
export class OrgTree {
  constructor(private readonly opts: FakeAwsOptions) {}

  /** The configured organization; throws when the fake has none. */
  get org(): FakeOrganization {
    const org = this.opts.organization;
    if (!org) throw new Error("fake_aws: no `organization` in the options");
    return org;
  }

  get orgId(): string {
    return this.org.id ?? DEFAULT_ORG_ID;
  }

  get rootId(): string {
    return this.org.rootId ?? DEFAULT_ROOT_ID;
  }

  /** The account `id`, if it is a member. */
  account(id: string): FakeOrgAccount | undefined {
    return this.org.accounts.find((a) => a.Id === id);
  }

  /** The OU `id`, if it exists. */
  unit(id: string): FakeOrgUnit | undefined {
    return (this.org.units ?? []).find((u) => u.Id === id);
  }

  /** True for the root and every existing OU. */
  isParent(id: string): boolean {
    return id === this.rootId || this.unit(id) !== undefined;
  }

  /** Root or OU that holds `childId` (an account or OU id). */
  parentOf(childId: string): string | undefined {
    const a = this.account(childId);
    if (a) return a.parentId ?? this.rootId;
    return this.unit(childId)?.parentId;
  }

  /** Accounts directly in `parentId`. */
  accountsIn(parentId: string): FakeOrgAccount[] {
    return this.org.accounts.filter((a) => (a.parentId ?? this.rootId) === parentId);
  }

  /** OUs directly in `parentId`. */
  unitsIn(parentId: string): FakeOrgUnit[] {
    return (this.org.units ?? []).filter((u) => u.parentId === parentId);
  }

  /** Ground truth: every account in `parentId` (default the root) and the OUs below it. */
  accountsUnder(parentId = this.rootId): FakeOrgAccount[] {
    const out = [...this.accountsIn(parentId)];
    for (const u of this.unitsIn(parentId)) out.push(...this.accountsUnder(u.Id));
    return out;
  }

  /** Ground truth: ids of the accounts under `parentId` whose State is ACTIVE. */
  activeAccountIdsUnder(parentId = this.rootId): string[] {
    return this.accountsUnder(parentId).filter((a) => (a.State ?? "ACTIVE") === "ACTIVE")
      .map((a) => a.Id);
  }

  /** Adds a member account (parentId default: the root). */
  addAccount(account: FakeOrgAccount): void {
    this.org.accounts.push(account);
  }

  /** Removes a member account (it left the organization). */
  removeAccount(id: string): void {
    this.org.accounts = this.org.accounts.filter((a) => a.Id !== id);
  }

  /** Changes an account's State (and Status: given, or derived from the state). */
  setAccountState(id: string, state: FakeAccountState, status?: FakeAccountStatus): void {
    const a = this.account(id);
    if (!a) throw new Error(`fake_aws: no account ${id} in the organization`);
    a.State = state;
    a.Status = status ?? statusFor(state);
  }

  /** Moves an account to another root/OU. */
  moveAccount(id: string, parentId: string): void {
    const a = this.account(id);
    if (!a) throw new Error(`fake_aws: no account ${id} in the organization`);
    a.parentId = parentId;
  }

  /** Adds an OU. */
  addUnit(unit: FakeOrgUnit): void {
    (this.org.units ??= []).push(unit);
  }
}
