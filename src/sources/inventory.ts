import { basename, dirname, join } from "node:path";
import { parseArn } from "../arn.ts";
import type { AccountConfig } from "../config/model.ts";
import { REGION_RE } from "../config/roles.ts";
import { ConfigError, describeFsError, TargetError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { ResourceRecord } from "../model.ts";
import { MAX_STRING_BYTES, readTextFile } from "../text_file.ts";
import { inventoryDirectory } from "./inventory_directory.ts";
import { type ResourceSource, type Target, targetKey } from "./source.ts";
import { type TagMapping, toRecords } from "./tag_mapping.ts";

const PAGE = 1000;

/**
 * A source that reads saved `aws resourcegroupstaggingapi get-resources`
 * output (JSON with `ResourceTagMappingList`) instead of calling AWS, for
 * air-gapped audits and the demo. Each file belongs to one account x region,
 * taken from, in order:
 *
 * 1. an envelope: top-level `"account_id"` and `"region"` keys;
 * 2. the path: `.../<account_id>/<region>.json` or `.../<account_id>/<region>/<any>.json`;
 * 3. the ARNs in the file, which must then all name the same account and
 *    region (ARNs without them, like S3 buckets', join that pair).
 *
 * Several files may feed one pair (saved pages); an ARN seen twice in a pair
 * is counted once, with a warning. A file `opts.explorer` takes (saved
 * Resource Explorer output, see explorer_inventory.ts) is left to it. For
 * `aws_organization` and `regions: all` the inventory stands in for AWS
 * (`directory`); with such a config the caller passes `warnUnknown: false`:
 * no data is then "not in the config".
 */
export async function loadInventory(
  paths: readonly string[],
  accounts: readonly AccountConfig[],
  log: Logger,
  opts: { warnUnknown?: boolean; explorer?: OtherKind } = {},
): Promise<ResourceSource> {
  const byTarget = new Map<string, Map<string, ResourceRecord>>();
  for (const file of await expand(paths)) {
    const read = await readInventoryFile(file, opts.explorer);
    if (read === null) continue;
    const { key, records } = read;
    let pair = byTarget.get(key);
    if (!pair) byTarget.set(key, pair = new Map());
    let duplicates = 0;
    for (const r of records) {
      if (pair.has(r.arn)) duplicates++;
      pair.set(r.arn, r);
    }
    if (duplicates > 0) {
      log.warn("inventory repeats resources; each is counted once", {
        file,
        target: key,
        duplicates,
      });
    }
  }
  const known = new Set(accounts.flatMap((a) => a.regions.map((region) => `${a.id}/${region}`)));
  for (const key of byTarget.keys()) {
    if (opts.warnUnknown !== false && !known.has(key)) {
      log.warn("inventory has data for a target not in the config; ignored", { target: key });
    }
  }
  return {
    async *pages(target: Target, signal: AbortSignal): AsyncIterable<readonly ResourceRecord[]> {
      const records = byTarget.get(targetKey(target));
      if (!records) {
        throw new TargetError(
          "NoInventory",
          `no inventory file covers account ${target.account.id} region ${target.region}`,
        );
      }
      const all = [...records.values()];
      for (let i = 0; i < all.length; i += PAGE) {
        signal.throwIfAborted();
        yield all.slice(i, i + PAGE);
        // Let timers and I/O run between pages, as a network source would.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
    directory: inventoryDirectory([...byTarget.keys()], log),
  };
}

/** Files named directly, plus every `*.json` below named directories, sorted. */
async function expand(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (e) {
      throw new ConfigError(
        `${path}: cannot read the inventory: ${describeFsError(e)} (check --inventory)`,
      );
    }
    if (info.isFile) {
      out.push(path);
      continue;
    }
    const found: string[] = [];
    const walk = async (dir: string) => {
      let entries: Deno.DirEntry[];
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch (e) {
        throw new ConfigError(
          `${dir}: cannot read the inventory directory: ${describeFsError(e)} (check --inventory)`,
        );
      }
      for (const entry of entries) {
        const child = join(dir, entry.name);
        if (entry.isDirectory) await walk(child);
        else if (entry.isFile && entry.name.endsWith(".json")) found.push(child);
      }
    };
    await walk(path);
    if (found.length === 0) {
      throw new ConfigError(
        `${path}: the inventory directory has no *.json files (check --inventory)`,
      );
    }
    out.push(...found.sort());
  }
  return out;
}

/** Another kind of inventory file (Resource Explorer output), taken by its own reader. */
export interface OtherKind {
  /** True when `doc` is of that kind and was taken. */
  take(file: string, doc: unknown): boolean;
}

async function readInventoryFile(
  file: string,
  other?: OtherKind,
): Promise<{ key: string; records: ResourceRecord[] } | null> {
  const text = await readTextFile(file, "inventory file", "check --inventory", MAX_STRING_BYTES);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: the inventory is not valid JSON: ${(e as Error).message}`);
  }
  if (other?.take(file, doc)) return null;
  const fail = (where: string, problem: string): never => {
    throw new ConfigError(`${file}: ${where}${problem}`);
  };
  if (
    typeof doc !== "object" || doc === null ||
    !Array.isArray((doc as Record<string, unknown>).ResourceTagMappingList)
  ) {
    fail(
      "",
      "has no ResourceTagMappingList list (save the output of aws resourcegroupstaggingapi get-resources)",
    );
  }
  const top = doc as Record<string, unknown>;
  const list = top.ResourceTagMappingList as unknown[];
  list.forEach((item, i) => {
    const at = `ResourceTagMappingList[${i}]`;
    const m = item as Record<string, unknown>;
    if (typeof m !== "object" || m === null || typeof m.ResourceARN !== "string") {
      fail(at, ".ResourceARN must be a string");
    }
    if ((m.ResourceARN as string).trim() === "") fail(at, ".ResourceARN is empty (give the ARN)");
    const tags = m.Tags ?? [];
    if (!Array.isArray(tags)) fail(at, ".Tags must be a list of {Key, Value}");
    (tags as unknown[]).forEach((t, j) => {
      const tag = t as Record<string, unknown>;
      if (typeof tag?.Key !== "string" || typeof (tag.Value ?? "") !== "string") {
        fail(`${at}.Tags[${j}]`, " must have a string Key and Value");
      }
    });
  });
  // Checked above: every entry is a TagMapping with string keys and values.
  const records = toRecords(list as TagMapping[]);
  return { key: pairOf(file, top, records, fail), records };
}

function pairOf(
  file: string,
  top: Record<string, unknown>,
  records: readonly ResourceRecord[],
  fail: (where: string, problem: string) => never,
): string {
  if (top.account_id !== undefined || top.region !== undefined) {
    if (typeof top.account_id !== "string" || !/^\d{12}$/.test(top.account_id)) {
      fail(
        "account_id",
        ` must be a quoted 12-digit account id, got ${JSON.stringify(top.account_id)}`,
      );
    }
    if (typeof top.region !== "string" || !REGION_RE.test(top.region)) {
      fail("region", ` must be an AWS region name, got ${JSON.stringify(top.region)}`);
    }
    return `${top.account_id}/${top.region}`;
  }
  const stem = basename(file, ".json");
  const parent = basename(dirname(file));
  const grand = basename(dirname(dirname(file)));
  if (/^\d{12}$/.test(parent) && REGION_RE.test(stem)) return `${parent}/${stem}`;
  if (/^\d{12}$/.test(grand) && REGION_RE.test(parent)) return `${grand}/${parent}`;
  const pairs = new Set<string>();
  for (const r of records) {
    // Not an ARN: the engine reports it as type "unknown".
    const arn = parseArn(r.arn);
    if (arn?.accountId && arn.region) pairs.add(`${arn.accountId}/${arn.region}`);
  }
  if (pairs.size === 1) return [...pairs][0];
  return fail(
    "",
    pairs.size === 0
      ? 'cannot tell which account and region it belongs to (put it at <account_id>/<region>.json or add "account_id" and "region" keys)'
      : `mixes resources of ${
        [...pairs].slice(0, 3).join(", ")
      } (split it per account and region, or add "account_id" and "region" keys)`,
  );
}
