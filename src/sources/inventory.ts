import type { AccountConfig } from "../config/model.ts";
import { ConfigError, TargetError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { ResourceRecord } from "../model.ts";
import { inventoryDirectory } from "./inventory_directory.ts";
import { type ExplorerSink, type FileFail, readInventoryFile } from "./inventory_file.ts";
import { inventoryFiles } from "./inventory_files.ts";
import { type ResourceSource, type Target, targetKey } from "./source.ts";

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
 * An ARN of another account or region than the file's pair fails the file.
 * Loading reads and checks every file, in chunks, and keeps only which files
 * feed which pair; a scan reads a pair's files again as it pages through
 * them, so memory holds a page and the pair's ARNs, never a whole file or its
 * parse tree, and the event loop is never blocked for a whole file. Several
 * files may feed one pair (saved pages); an ARN seen twice in a pair is
 * counted once (its first entry), with a warning. A file of saved Resource
 * Explorer output goes to `opts.explorer` (see explorer_inventory.ts). For
 * `aws_organization` and `regions: all` the inventory stands in for AWS
 * (`directory`); with such a config the caller passes `warnUnknown: false`:
 * no data is then "not in the config".
 */
export async function loadInventory(
  paths: readonly string[],
  accounts: readonly AccountConfig[],
  log: Logger,
  opts: { warnUnknown?: boolean; explorer?: ExplorerSink } = {},
): Promise<ResourceSource> {
  const byTarget = new Map<string, string[]>();
  for (const file of await inventoryFiles(paths)) {
    const fail: FileFail = (problem) => {
      throw new ConfigError(`${file}: ${problem}`);
    };
    const key = await drain(readInventoryFile(file, fail, opts.explorer));
    if (key === null) continue;
    let files = byTarget.get(key);
    if (!files) byTarget.set(key, files = []);
    files.push(file);
  }
  const known = new Set(accounts.flatMap((a) => a.regions.map((region) => `${a.id}/${region}`)));
  for (const key of byTarget.keys()) {
    if (opts.warnUnknown !== false && !known.has(key)) {
      log.warn("inventory has data for a target not in the config; ignored", { target: key });
    }
  }
  return {
    async *pages(target: Target, signal: AbortSignal): AsyncIterable<readonly ResourceRecord[]> {
      const key = targetKey(target);
      const files = byTarget.get(key);
      if (!files) {
        throw new TargetError(
          "NoInventory",
          `no inventory file covers account ${target.account.id} region ${target.region}`,
        );
      }
      const seen = new Set<string>();
      for (const file of files) {
        // Checked when loaded; a file changed since fails its target only.
        const fail: FileFail = (problem) => {
          throw new TargetError("InvalidInventory", `${file}: ${problem}`);
        };
        const reader = readInventoryFile(file, fail);
        let page: ResourceRecord[] = [];
        let duplicates = 0;
        try {
          for (;;) {
            const next = await reader.next();
            signal.throwIfAborted();
            if (next.done) {
              if (next.value !== key) fail(`now belongs to ${next.value}, no longer to ${key}`);
              break;
            }
            for (const r of next.value) {
              if (seen.has(r.arn)) duplicates++;
              else (seen.add(r.arn), page.push(r));
            }
            if (page.length >= PAGE) (yield page, page = []);
          }
        } finally {
          await reader.return("");
        }
        if (page.length > 0) yield page;
        if (duplicates > 0) {
          log.warn("inventory repeats resources; each is counted once", {
            file,
            target: key,
            duplicates,
          });
        }
      }
    },
    directory: inventoryDirectory([...byTarget.keys()], log),
  };
}

/** Runs a file reader to its end, discarding the records, and returns its pair. */
async function drain(
  reader: AsyncGenerator<ResourceRecord[], string | null>,
): Promise<string | null> {
  for (;;) {
    const next = await reader.next();
    if (next.done) return next.value;
  }
}
