import { basename, dirname } from "node:path";
import { arnPlace } from "../arn.ts";
import { REGION_RE } from "../config/roles.ts";
import { describeFsError } from "../errors.ts";
import type { ResourceRecord } from "../model.ts";
import { JsonListError, readJsonList } from "./json_list.ts";
import { type TagMapping, toRecords } from "./tag_mapping.ts";

/** The largest inventory file read; a bigger one is refused, with this limit. */
export const MAX_INVENTORY_BYTES = 512 * 2 ** 20;
const LIST = "ResourceTagMappingList";
/** Distinct accounts, regions or pairs remembered per file: enough to name a mix. */
const EXAMPLES = 4;

/** Fails with one line about the file; the caller picks the error class. */
export type FileFail = (problem: string) => never;

/** The top-level list of saved Resource Explorer `list-resources` output. */
const EXPLORER_LIST = "Resources";

/**
 * Takes the other kind of inventory file, saved Resource Explorer output
 * (a top-level `Resources` list), as it streams by (see explorer_inventory.ts).
 */
export interface ExplorerSink {
  /** A batch of `Resources` entries of `file`; `first` is the index of the first. */
  items(file: string, items: unknown[], first: number, fail: FileFail): void;
  /** The end of `file`, with its other top-level keys (`ViewArn`). */
  end(file: string, top: Record<string, unknown>, fail: FileFail): void;
}

/** Where a file's ARNs point, with the first entry that names each account/region/pair. */
class ArnPlaces {
  readonly accounts = new Map<string, number>();
  readonly regions = new Map<string, number>();
  readonly pairs = new Map<string, number>();
  readonly arns = new Map<number, string>();
  #last: [string, string] = ["", ""];

  note(index: number, arn: string): void {
    const place = arnPlace(arn);
    if (place === null) return;
    const [account, region] = place;
    // Most ARNs repeat the last ones: skip the maps for them.
    if (account === this.#last[0] && region === this.#last[1]) return;
    this.#last = place;
    this.#remember(this.accounts, account, index, arn);
    this.#remember(this.regions, region, index, arn);
    if (account && region) this.#remember(this.pairs, `${account}/${region}`, index, arn);
  }

  #remember(map: Map<string, number>, key: string, index: number, arn: string): void {
    if (key === "" || map.has(key) || map.size >= EXAMPLES) return;
    map.set(key, index);
    this.arns.set(index, arn);
  }
}

/**
 * Streams one `get-resources` file: checks every entry as it comes, yields
 * its records in batches, and ends by returning the account/region pair it
 * belongs to (`"123456789012/us-east-1"`), taken from its envelope
 * (`account_id` and `region` keys), else its path, else its ARNs. Any ARN that
 * names another account or region than that pair fails it, so another
 * account's resources are never counted under this pair's labels. With
 * `explorer`, a file of saved Resource Explorer output goes to it instead,
 * and the generator returns null: it feeds no pair.
 */
export async function* readInventoryFile(
  file: string,
  fail: FileFail,
  explorer?: ExplorerSink,
): AsyncGenerator<ResourceRecord[], string | null> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file, { read: true });
  } catch (e) {
    return fail(`cannot read the inventory file: ${describeFsError(e)} (check --inventory)`);
  }
  using _ = f;
  const size = (await f.stat()).size;
  if (size > MAX_INVENTORY_BYTES) fail(tooLarge(size));
  const places = new ArnPlaces();
  let top: Record<string, unknown> = {};
  let lists: ReadonlySet<string> = new Set();
  const keys = explorer ? [LIST, EXPLORER_LIST] : [LIST];
  try {
    for await (const event of readJsonList(f, keys, MAX_INVENTORY_BYTES)) {
      if (event.kind === "end") ({ top, lists } = event);
      else if (event.key === EXPLORER_LIST) explorer!.items(file, event.items, event.first, fail);
      else yield checked(event.items, event.first, places, fail);
    }
  } catch (e) {
    if (e instanceof JsonListError && e.tooLarge) fail(tooLarge(e.tooLarge));
    if (e instanceof JsonListError) fail(`the inventory is not valid JSON: ${e.message}`);
    if (e instanceof TypeError) fail("the inventory is not UTF-8 text (save it as UTF-8)");
    throw e;
  }
  if (lists.has(EXPLORER_LIST)) {
    if (lists.has(LIST)) fail(`has both ${LIST} and ${EXPLORER_LIST} (save one output per file)`);
    explorer!.end(file, top, fail);
    return null;
  }
  if (explorer && !lists.has(LIST) && EXPLORER_LIST in top) {
    fail(
      `${EXPLORER_LIST} must be a list (save the output of aws resource-explorer-2 list-resources)`,
    );
  }
  if (!lists.has(LIST)) {
    fail(`has no ${LIST} list (save the output of aws resourcegroupstaggingapi get-resources)`);
  }
  return pairOf(file, top, places, fail);
}

function tooLarge(size: number): string {
  const mib = (n: number) => `${Math.ceil(n / 2 ** 20)} MiB`;
  return `the inventory is too large (${mib(size)}; the limit is ${
    mib(MAX_INVENTORY_BYTES)
  } per file: save it in pages, several files per account and region)`;
}

/** The entries as records, each checked; `first` is the index of the first. */
function checked(
  items: unknown[],
  first: number,
  places: ArnPlaces,
  fail: FileFail,
): ResourceRecord[] {
  items.forEach((item, k) => {
    const at = `${LIST}[${first + k}]`;
    const m = item as Record<string, unknown>;
    if (typeof m !== "object" || m === null || typeof m.ResourceARN !== "string") {
      fail(`${at}.ResourceARN must be a string`);
    }
    const arn = m.ResourceARN as string;
    if (arn.trim() === "") fail(`${at}.ResourceARN is empty (give the ARN)`);
    const tags = m.Tags ?? [];
    if (!Array.isArray(tags)) fail(`${at}.Tags must be a list of {Key, Value}`);
    (tags as unknown[]).forEach((t, j) => {
      const tag = t as Record<string, unknown>;
      if (typeof tag?.Key !== "string" || typeof (tag.Value ?? "") !== "string") {
        fail(`${at}.Tags[${j}] must have a string Key and Value`);
      }
    });
    places.note(first + k, arn);
  });
  // Checked above: every entry is a TagMapping with string keys and values.
  return toRecords(items as TagMapping[]);
}

function pairOf(
  file: string,
  top: Record<string, unknown>,
  places: ArnPlaces,
  fail: FileFail,
): string {
  let pair: string;
  let says: string;
  if (top.account_id !== undefined || top.region !== undefined) {
    if (typeof top.account_id !== "string" || !/^\d{12}$/.test(top.account_id)) {
      fail(
        `account_id must be a quoted 12-digit account id, got ${JSON.stringify(top.account_id)}`,
      );
    }
    if (typeof top.region !== "string" || !REGION_RE.test(top.region)) {
      fail(`region must be an AWS region name, got ${JSON.stringify(top.region)}`);
    }
    [pair, says] = [`${top.account_id}/${top.region}`, "its account_id and region say"];
  } else {
    const fromPath = pathPair(file);
    [pair, says] = fromPath === null
      ? [arnPair(places, fail), "its other ARNs say"]
      : [fromPath, "its path says"];
  }
  const [account, region] = pair.split("/");
  const odd = [...places.accounts].find(([a]) => a !== account) ??
    [...places.regions].find(([r]) => r !== region);
  if (odd !== undefined) {
    const at = odd[1];
    fail(
      `${LIST}[${at}].ResourceARN ${JSON.stringify(places.arns.get(at))} is not in account ` +
        `${account} region ${region}, as ${says} (split the file per account and region)`,
    );
  }
  return pair;
}

/** `.../<account_id>/<region>.json` or `.../<account_id>/<region>/<page>.json`. */
function pathPair(file: string): string | null {
  const stem = basename(file, ".json");
  const parent = basename(dirname(file));
  const grand = basename(dirname(dirname(file)));
  if (/^\d{12}$/.test(parent) && REGION_RE.test(stem)) return `${parent}/${stem}`;
  if (/^\d{12}$/.test(grand) && REGION_RE.test(parent)) return `${grand}/${parent}`;
  return null;
}

/** The one pair all ARNs name (ARNs without account or region join it). */
function arnPair(places: ArnPlaces, fail: FileFail): string {
  if (places.pairs.size === 1) return [...places.pairs.keys()][0];
  return fail(
    places.pairs.size === 0
      ? 'cannot tell which account and region it belongs to (put it at <account_id>/<region>.json or add "account_id" and "region" keys)'
      : `mixes resources of ${
        [...places.pairs.keys()].slice(0, 3).join(", ")
      } (split it per account and region, or add "account_id" and "region" keys)`,
  );
}
