import type { Config } from "../config/model.ts";
import { ConfigError, TargetError } from "../errors.ts";
import type { Logger } from "../log.ts";
import {
  type ExplorerResource,
  hasTags,
  type UntaggedCandidate,
  untaggedCandidate,
} from "./explorer_resource.ts";
import { loadInventory } from "./inventory.ts";
import type { ExplorerSink, FileFail } from "./inventory_file.ts";
import type { ResourceSource } from "./source.ts";
import { AccountCandidates } from "./untagged_candidates.ts";
import { UntaggedMerge, withUntagged } from "./untagged_merge.ts";

const ACCOUNT_RE = /^\d{12}$/;
const VIEW_ACCOUNT_RE = /^arn:[^:]+:resource-explorer-2:[^:]*:(\d{12}):view\//;

/**
 * Saved `aws resource-explorer-2 list-resources` output among the
 * `--inventory` files. The two kinds of file are told apart by their top
 * level: GetResources output has a `ResourceTagMappingList` list, Resource
 * Explorer output a `Resources` list (and usually the `ViewArn` it used).
 * A file covers the account of its `ViewArn` and every account whose
 * resources it lists, in every configured region (save it from the
 * aggregator index); only its resources without tags are used, spread by
 * `Region` like the live pass's (`global` to the partition's home region).
 */
export class ExplorerFiles implements ExplorerSink {
  #candidates = new Map<string, UntaggedCandidate[]>();
  #covered = new Set<string>();
  #files: string[] = [];

  /** Resources of a file that name no account, until its `ViewArn` is known. */
  #orphans: { at: string; resource: ExplorerResource }[] = [];

  /** A batch of a file's `Resources` entries, checked and kept as candidates. */
  items(_file: string, items: unknown[], first: number, fail: FileFail): void {
    items.forEach((item, k) => {
      const at = `Resources[${first + k}]`;
      const r = item as Record<string, unknown>;
      if (typeof r !== "object" || r === null || typeof r.Arn !== "string" || r.Arn.trim() === "") {
        fail(`${at}.Arn must be a non-empty string`);
      }
      if (r.OwningAccountId !== undefined && !ACCOUNT_RE.test(String(r.OwningAccountId))) {
        fail(
          `${at}.OwningAccountId must be a 12-digit account id, got ${
            JSON.stringify(r.OwningAccountId)
          }`,
        );
      }
      if (r.Properties !== undefined && !Array.isArray(r.Properties)) {
        fail(`${at}.Properties must be a list`);
      }
      const resource = r as ExplorerResource;
      if (typeof r.OwningAccountId !== "string") {
        this.#orphans.push({ at, resource });
        return;
      }
      this.#covered.add(r.OwningAccountId);
      this.#keep(untaggedCandidate(resource), resource, at, fail);
    });
  }

  /** The end of a file: its `ViewArn` names the account of entries that name none. */
  end(file: string, top: Record<string, unknown>, fail: FileFail): void {
    const viewAccount = typeof top.ViewArn === "string"
      ? VIEW_ACCOUNT_RE.exec(top.ViewArn)?.[1]
      : undefined;
    if (viewAccount) this.#covered.add(viewAccount);
    for (const { at, resource } of this.#orphans) {
      const c = untaggedCandidate({ ...resource, OwningAccountId: viewAccount });
      this.#keep(c, resource, at, fail);
    }
    this.#orphans = [];
    this.#files.push(file);
  }

  #keep(
    c: UntaggedCandidate | null,
    resource: ExplorerResource,
    at: string,
    fail: FileFail,
  ): void {
    if (c === null && !hasTags(resource)) {
      fail(`${at} has no account or region (save the list-resources output unchanged)`);
    }
    if (c === null) return;
    let list = this.#candidates.get(c.accountId);
    if (!list) this.#candidates.set(c.accountId, list = []);
    list.push(c);
  }

  /**
   * `source` with the files' never-tagged resources merged in when
   * `untagged_resources` is on. With it off, any such file is a usage error:
   * a file that silently changed nothing would mislead.
   */
  wrap(source: ResourceSource, config: Config, log: Logger): ResourceSource {
    if (!config.untaggedResources.enabled) {
      if (this.#files.length === 0) return source;
      throw new ConfigError(
        `${this.#files[0]}: is Resource Explorer output, but untagged_resources is not enabled ` +
          `(set untagged_resources: {enabled: true} in ${config.source} to count its never-tagged ` +
          `resources, or leave the file out of --inventory)`,
      );
    }
    const merge = new UntaggedMerge((account) => {
      if (!this.#covered.has(account.id)) {
        return Promise.reject(
          new TargetError(
            "NoExplorerFile",
            `no Resource Explorer file in --inventory covers account ${account.id} (save aws ` +
              `resource-explorer-2 list-resources --filters FilterString="tag:none ` +
              `resourcetype.supports:tags" from its aggregator index region next to its inventory)`,
          ),
        );
      }
      const candidates = new AccountCandidates(account);
      for (const c of this.#candidates.get(account.id) ?? []) candidates.add(c);
      return Promise.resolve(candidates.finish(log));
    }, log);
    return withUntagged(source, merge);
  }
}

/**
 * `loadInventory`, also reading saved Resource Explorer output among the
 * files: its never-tagged resources are added when `untagged_resources` is
 * on. See `ExplorerFiles` for how the two kinds of file are told apart.
 */
export async function loadInventorySource(
  paths: readonly string[],
  config: Config,
  log: Logger,
  opts: { warnUnknown?: boolean } = {},
): Promise<ResourceSource> {
  const explorer = new ExplorerFiles();
  const source = await loadInventory(paths, config.accounts, log, { ...opts, explorer });
  return explorer.wrap(source, config, log);
}
