/** Shared fixture of the `--inventory` tests with Resource Explorer files: write, scan offline. */

import { join } from "node:path";
import type { Config } from "../../src/config/model.ts";
import { silentLogger } from "../../src/log.ts";
import { runScan } from "../../src/scan/runner.ts";
import { loadInventorySource } from "../../src/sources/explorer_inventory.ts";
import { targetsOf } from "../../src/sources/source.ts";

/** Writes `doc` as JSON to `path`, creating its directory. */
export async function write(path: string, doc: unknown): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(doc, null, 2));
}

/** Scans every account-region of `cfg` from the inventory files under `paths`. */
export async function offline(paths: string[], cfg: Config) {
  const source = await loadInventorySource(paths, cfg, silentLogger);
  return runScan({
    config: cfg,
    source,
    targets: targetsOf(cfg.accounts),
    concurrency: 4,
    keepMissing: Infinity,
  });
}
