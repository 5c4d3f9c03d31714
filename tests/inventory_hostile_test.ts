/**
 * Inventories under hostile conditions: symlinked pages (a Kubernetes
 * ConfigMap mount), link loops, another account's ARNs under an envelope,
 * empty ARNs, files too large to read.
 */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse.ts";
import { ConfigError } from "../src/errors.ts";
import { loadInventory } from "../src/sources/inventory.ts";
import { MAX_INVENTORY_BYTES } from "../src/sources/inventory_file.ts";
import { targetsOf } from "../src/sources/source.ts";
import { captureLog } from "./helpers/aws.ts";
import { withTempDir as withDir } from "./helpers/temp_dir.ts";

const ACCOUNT = "123456789012";
const config = parseConfig(
  `aws_account_matrix:\n  - account_id: "${ACCOUNT}"\n    regions: [us-east-1]\nREQUIRED_TAGS: [env]\n`,
  "c.yaml",
);
const [east] = targetsOf(config.accounts);
const POSIX = { ignore: Deno.build.os === "windows" };

/** An envelope page of `n` instance ARNs numbered from `from`. */
function page(from: number, n: number, account = ACCOUNT, region = "us-east-1"): string {
  return JSON.stringify({
    account_id: ACCOUNT,
    region: "us-east-1",
    ResourceTagMappingList: Array.from({ length: n }, (_, i) => ({
      ResourceARN: `arn:aws:ec2:${region}:${account}:instance/i-${from + i}`,
      Tags: [],
    })),
  });
}

async function arnsOf(paths: string[]): Promise<{ arns: string[]; warnings: string[] }> {
  const { lines, log } = captureLog();
  const source = await loadInventory(paths, config.accounts, log);
  const arns: string[] = [];
  for await (const p of source.pages(east, new AbortController().signal)) {
    arns.push(...p.map((r) => r.arn));
  }
  const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === "warn")
    .map((l) => l.msg);
  return { arns, warnings };
}

function refused(paths: string[], message: RegExp): Promise<void> {
  return rejects(loadInventory(paths, config.accounts, captureLog().log), (e: Error) => {
    ok(e instanceof ConfigError, String(e));
    ok(message.test(e.message), e.message);
    ok(!e.message.includes("\n"), e.message);
    return true;
  });
}

Deno.test({ name: "symlinked *.json pages are read, each file once", ...POSIX }, async () => {
  await withDir(async (dir) => {
    // Pages kept elsewhere and linked in, next to one real page.
    await Deno.mkdir(join(dir, "store"));
    await Deno.writeTextFile(join(dir, "store", "b.json"), page(10, 10));
    await Deno.writeTextFile(join(dir, "store", "c.json"), page(20, 10));
    const inv = join(dir, "inv");
    await Deno.mkdir(inv);
    await Deno.writeTextFile(join(inv, "a.json"), page(0, 10));
    await Deno.symlink(join(dir, "store", "b.json"), join(inv, "b.json"));
    await Deno.symlink("../store/c.json", join(inv, "c.json"));
    const { arns, warnings } = await arnsOf([inv]);
    strictEqual(arns.length, 30);
    strictEqual(new Set(arns).size, 30);
    deepStrictEqual(warnings, []);
  });
});

Deno.test({
  name: "a ConfigMap mount (links into a hidden ..data dir) counts each page once",
  ...POSIX,
}, async () => {
  await withDir(async (dir) => {
    const stamp = join(dir, "..2026_01_01_00_00_00.123456789");
    await Deno.mkdir(stamp);
    for (const [name, from] of [["a.json", 0], ["b.json", 10], ["c.json", 20]] as const) {
      await Deno.writeTextFile(join(stamp, name), page(from, 10));
      await Deno.symlink(`..data/${name}`, join(dir, name));
    }
    await Deno.symlink("..2026_01_01_00_00_00.123456789", join(dir, "..data"));
    // And a link back up, which must not be walked forever.
    await Deno.symlink(".", join(dir, "loop"));
    const { arns, warnings } = await arnsOf([dir, join(dir, "a.json")]);
    strictEqual(arns.length, 30);
    deepStrictEqual(warnings, [], "no page was read twice");
  });
});

Deno.test({ name: "a dangling or looping *.json link exits 2 in one line", ...POSIX }, async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "a.json"), page(0, 1));
    await Deno.symlink("missing.json", join(dir, "b.json"));
    await refused([dir], /b\.json: cannot read the inventory link: no such file/);
    await Deno.remove(join(dir, "b.json"));
    await Deno.symlink("y.json", join(dir, "x.json"));
    await Deno.symlink("x.json", join(dir, "y.json"));
    await refused([dir], /x\.json: cannot read the inventory link: a symlink loop/);
  });
});

Deno.test("an ARN of another account or region than the file's pair exits 2, naming it", async () => {
  await withDir(async (dir) => {
    const mixed = (account: string, region: string) => {
      const doc = JSON.parse(page(0, 3));
      doc.ResourceTagMappingList[2].ResourceARN =
        `arn:aws:ec2:${region}:${account}:instance/i-other`;
      return doc;
    };
    const envelope = join(dir, "envelope.json");
    await Deno.writeTextFile(envelope, JSON.stringify(mixed("999999999999", "us-east-1")));
    await refused(
      [envelope],
      /envelope\.json: ResourceTagMappingList\[2\]\.ResourceARN "arn:aws:ec2:us-east-1:999999999999:instance\/i-other" is not in account 123456789012 region us-east-1, as its account_id and region say/,
    );
    await Deno.writeTextFile(envelope, JSON.stringify(mixed(ACCOUNT, "eu-west-1")));
    await refused(
      [envelope],
      /\[2\]\.ResourceARN .* is not in account 123456789012 region us-east-1/,
    );
    // The path names the pair: the same check.
    await Deno.mkdir(join(dir, ACCOUNT));
    const byPath = join(dir, ACCOUNT, "us-east-1.json");
    const { account_id: _, region: __, ...bare } = mixed("999999999999", "us-east-1");
    await Deno.writeTextFile(byPath, JSON.stringify(bare));
    await refused([byPath], /is not in account 123456789012 region us-east-1, as its path says/);
    // ARNs with no account or region (S3 buckets) join any pair.
    const doc = JSON.parse(page(0, 2));
    doc.ResourceTagMappingList.push({ ResourceARN: "arn:aws:s3:::bucket", Tags: [] });
    await Deno.writeTextFile(envelope, JSON.stringify(doc));
    strictEqual((await arnsOf([envelope])).arns.length, 3);
  });
});

Deno.test("an empty ARN exits 2, naming the entry", async () => {
  await withDir(async (dir) => {
    for (const arn of ["", "   "]) {
      const doc = JSON.parse(page(0, 2));
      doc.ResourceTagMappingList[1].ResourceARN = arn;
      await Deno.writeTextFile(join(dir, "x.json"), JSON.stringify(doc));
      await refused([dir], /x\.json: ResourceTagMappingList\[1\]\.ResourceARN is empty/);
    }
  });
});

Deno.test("an inventory over the size limit is too large, with the limit, and is not read", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "big.json");
    using f = await Deno.open(file, { write: true, create: true });
    await f.truncate(MAX_INVENTORY_BYTES + 1); // sparse: no disk, no reading
    await refused(
      [file],
      /big\.json: the inventory is too large \(513 MiB; the limit is 512 MiB per file: save it in pages/,
    );
  });
});

Deno.test(
  { name: "a FIFO named as --inventory exits 2 instead of waiting for a writer", ...POSIX },
  async () => {
    await withDir(async (dir) => {
      const fifo = join(dir, "inv.json");
      strictEqual((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
      await refused([fifo], /inv\.json: the inventory is not a file or a directory/);
    });
  },
);
