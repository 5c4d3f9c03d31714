import pLimit from "p-limit";
import {
  type MemberAccount,
  type PlannedAccount,
  plannedAccounts,
} from "../config/account_list.ts";
import type { AccountConfig, Config } from "../config/model.ts";
import type { DiscoveryReport, ListedAccount, OrganizationDiscovery } from "../discovery_report.ts";
import { roundSeconds } from "../duration.ts";
import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type AccountDirectory, DiscoveryError } from "../sources/directory.ts";
import { type Target, targetKey } from "../sources/source.ts";
import { type Shard, shardOf } from "./shard.ts";

/** The accounts and targets of one plan, and the targets that fail without a scan. */
export interface Resolution {
  readonly targets: readonly Target[];
  /** `targetKey` -> why the target fails (its regions could not be listed). */
  readonly failures: ReadonlyMap<string, Error>;
  readonly report: DiscoveryReport;
}

/** How a `TargetDiscovery` behaves. */
export interface DiscoveryOptions {
  readonly log: Logger;
  /** Region lists asked at once. */
  readonly concurrency: number;
  /**
   * serve: a failed discovery falls back on the last list, or on nothing,
   * and never throws. Otherwise (scan, report, targets) a failure with no
   * matrix account to fall back on throws the `DiscoveryError`.
   */
  readonly keepLast: boolean;
  readonly now?: () => number;
}

/** A config whose accounts or regions are only known at run time. */
export function discovers(config: Config): boolean {
  return config.organization !== null ||
    config.accountRules.entries.some((e) => e.regions === "all");
}

/**
 * Works out the accounts and targets of a plan at the start of a scan:
 * the organisation's accounts (AWS Organizations, or an inventory standing
 * in for it) merged with the matrix by `plannedAccounts`, this shard's only,
 * and the enabled regions of every `regions: all` account, through its own
 * session. It keeps the last list discovered: when Organizations fails in
 * serve, the scan covers that list and the report says why.
 */
export class TargetDiscovery {
  #members: readonly MemberAccount[] | null = null;
  #regions = new Map<string, readonly string[]>();
  #warned = new Set<string>();
  readonly #now: () => number;

  constructor(private readonly config: Config, private readonly opts: DiscoveryOptions) {
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Plans the accounts and targets of one scan. */
  async resolve(
    directory: AccountDirectory | undefined,
    shard: Shard | undefined,
    signal: AbortSignal,
  ): Promise<Resolution> {
    const { members, organization } = await this.#discover(directory, signal);
    const planned = plannedAccounts(this.config, members)
      .filter((p) => !shard || shardOf(p.account.id, shard.count) === shard.index);
    if (organization?.ok) this.#warnUnused(members ?? []);
    // The last regions are for accounts still planned: serve runs for months while accounts leave.
    const ids = new Set(planned.map((p) => p.account.id));
    for (const id of this.#regions.keys()) if (!ids.has(id)) this.#regions.delete(id);
    const limit = pLimit(Math.max(1, this.opts.concurrency));
    const resolved = await Promise.all(
      planned.map((p) => limit(() => this.#regionsOf(p, directory, signal))),
    );
    const targets: Target[] = [];
    const failures = new Map<string, Error>();
    const accounts: ListedAccount[] = [];
    for (const { planned: p, account, error } of resolved) {
      const regions = error === null ? account.regions : this.#regions.get(account.id) ?? ["all"];
      for (const region of regions) {
        const target = { account, region };
        targets.push(target);
        if (error !== null) failures.set(targetKey(target), error);
      }
      accounts.push({
        id: account.id,
        name: account.name,
        regions: account.regions,
        roleArn: account.roleArn,
        source: p.source,
        error: error === null ? null : describeError(error).message,
      });
    }
    return { targets, failures, report: { organization, accounts } };
  }

  async #discover(
    directory: AccountDirectory | undefined,
    signal: AbortSignal,
  ): Promise<
    { members: readonly MemberAccount[] | null; organization: OrganizationDiscovery | null }
  > {
    const org = this.config.organization;
    if (org === null) return { members: null, organization: null };
    const started = this.#now();
    const done = () => ({
      finishedAt: new Date().toISOString(),
      durationSeconds: roundSeconds((this.#now() - started) / 1000),
    });
    try {
      if (!directory) {
        throw new DiscoveryError(
          "NoDirectory",
          "this source cannot list an organisation's accounts",
        );
      }
      const members = await directory.memberAccounts(org, signal);
      this.#members = members;
      this.opts.log.info("discovered the organisation's accounts", {
        accounts: members.length,
        duration_seconds: done().durationSeconds,
      });
      return { members, organization: { ok: true, error: null, fallback: null, ...done() } };
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      const error = describeError(e).message;
      const last = this.opts.keepLast ? this.#members : null;
      if (last === null && this.config.accountRules.entries.length === 0 && !this.opts.keepLast) {
        throw e;
      }
      const fallback = last === null ? "matrix" : "last";
      this.opts.log.warn(
        fallback === "last"
          ? "AWS Organizations discovery failed; scanning the last list discovered"
          : "AWS Organizations discovery failed; scanning the aws_account_matrix accounts only",
        { error, accounts: last?.length ?? this.config.accountRules.entries.length },
      );
      return { members: last, organization: { ok: false, error, fallback, ...done() } };
    }
  }

  /** The account with its regions listed (`regions: all`), or why they could not be. */
  async #regionsOf(
    planned: PlannedAccount,
    directory: AccountDirectory | undefined,
    signal: AbortSignal,
  ): Promise<{ planned: PlannedAccount; account: AccountConfig; error: Error | null }> {
    const { account } = planned;
    if (account.homeRegion === undefined) return { planned, account, error: null };
    try {
      if (!directory) throw new DiscoveryError("NoDirectory", "this source cannot list regions");
      const regions = Object.freeze(await directory.enabledRegions(account, signal));
      this.#regions.set(account.id, regions);
      return { planned, account: Object.freeze({ ...account, regions }), error: null };
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      const error = e instanceof Error ? e : new Error(String(e));
      this.opts.log.error("could not list the account's enabled regions; its targets fail", {
        account_id: account.id,
        account_name: account.name,
        error: describeError(error).message,
      });
      return { planned, account, error };
    }
  }

  /** Warns once about an override whose account is neither listed nor discovered. */
  #warnUnused(members: readonly MemberAccount[]): void {
    const { entries, overrides } = this.config.accountRules;
    for (const id of overrides.keys()) {
      if (this.#warned.has(id) || members.some((m) => m.id === id)) continue;
      if (entries.some((e) => e.id === id)) continue;
      this.#warned.add(id);
      this.opts.log.warn("aws_account_overrides names an account Organizations does not list", {
        account_id: id,
      });
    }
  }
}
