import type { AccountConfig } from "../config/model.ts";
import type { ApiCounts, ResourceRecord, UntaggedCoverage } from "../model.ts";
import type { AccountDirectory } from "./directory.ts";

/** One account x region to scan. */
export interface Target {
  readonly account: AccountConfig;
  readonly region: string;
}

/**
 * Where resources come from: live AWS, or saved inventories. The one small
 * interface at the data boundary; nothing past it sees an SDK shape.
 */
export interface ResourceSource {
  /**
   * The resources of one target, page by page, in order. Throws a
   * `TargetError` when the target fails, or `RestartTarget` to have the runner
   * discard what it counted and call again. Must stop when `signal` aborts.
   */
  pages(target: Target, signal: AbortSignal): AsyncIterable<readonly ResourceRecord[]>;
  /**
   * Resource Explorer coverage of a target whose pages were all read: absent
   * for a source that does not add never-tagged resources (`untagged_resources`
   * off). `added` counts the `neverTagged` records the pages held; the runner
   * replaces it with those it evaluated (exclusions apply to them too).
   */
  untaggedCoverage?(target: Target): UntaggedCoverage | undefined;
  /**
   * Called when a scan of `targets` starts: a source reused across scans
   * resets per-scan state here, and may start what the targets will wait
   * for (the live source's sessions).
   */
  startScan?(targets: readonly Target[]): void;
  /** AWS API calls made so far, by API name; absent for offline sources. */
  apiCounts?(): Readonly<Record<string, ApiCounts>>;
  /** Releases clients and sockets. */
  close?(): Promise<void> | void;
  /** Lists accounts and enabled regions (`aws_organization`, `regions: all`); absent: it cannot. */
  readonly directory?: AccountDirectory;
}

/** Every account x region of the config, in config order. */
export function targetsOf(accounts: readonly AccountConfig[]): Target[] {
  return accounts.flatMap((account) => account.regions.map((region) => ({ account, region })));
}

/** `123456789012/us-east-1`, for logs and maps. */
export function targetKey(t: { account: { id: string }; region: string }): string {
  return `${t.account.id}/${t.region}`;
}
