import { fnv1a32 } from "../hash.ts";

/**
 * Sharding: split the account x region targets across `count` processes so a
 * large organisation can be scanned by several replicas (a Kubernetes
 * StatefulSet), each exporting a disjoint part that Prometheus sums up.
 *
 * Shards are 0-based: `--shard 0/3`, `1/3` and `2/3` together cover every
 * target exactly once. A target goes to shard `fnv1a(account_id) % count`, so
 * all regions of an account land in the same shard (one AssumeRole per
 * account), the split needs no coordination between replicas, and adding or
 * removing an account never moves the others.
 *
 * @module
 */

/** One shard out of `count`; `index` is 0-based. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The most shards a scan can be split into. */
export const MAX_SHARDS = 1024;

const SPEC_RE = /^(\d+)\/(\d+)$/;

/**
 * Parses a `--shard` value: `INDEX/COUNT` with a 0-based index. Throws a
 * `RangeError` with a one-line message naming the value and the fix.
 * (A StatefulSet passes its pod ordinal through the downward API: see
 * k8s/overlays/sharded/statefulset.yaml.)
 *
 * @example
 * parseShard("1/3"); // {index: 1, count: 3}
 */
export function parseShard(spec: string): Shard {
  const m = SPEC_RE.exec(spec.trim());
  if (!m) {
    throw new RangeError(
      `--shard ${JSON.stringify(spec)} is not INDEX/COUNT (0-based, e.g. "0/3")`,
    );
  }
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new RangeError(
      `--shard ${JSON.stringify(spec)}: the shard count must be from 1 to ${MAX_SHARDS}`,
    );
  }
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index) || index >= count) {
    throw new RangeError(
      `--shard ${JSON.stringify(spec)}: index must be below the count ${count} ` +
        `(shards are 0-based: 0/${count} to ${count - 1}/${count})`,
    );
  }
  return Object.freeze({ index, count });
}

/**
 * The shard an account belongs to: 32-bit FNV-1a of the account id, modulo
 * `count`. Stable across processes, platforms and releases; part of the
 * sharding contract, so it never changes.
 */
export function shardOf(accountId: string, count: number): number {
  return fnv1a32(accountId) % count;
}

/**
 * The targets of one shard, in their original order. Every region of an
 * account goes to the same shard.
 *
 * @example
 * shardTargets(targets, parseShard("0/2")); // the targets whose account hashes to 0
 */
export function shardTargets<T extends { readonly account: { readonly id: string } }>(
  targets: readonly T[],
  shard: Shard,
): T[] {
  if (shard.count === 1) return [...targets];
  return targets.filter((t) => shardOf(t.account.id, shard.count) === shard.index);
}
