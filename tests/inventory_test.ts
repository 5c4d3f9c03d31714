import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse.ts";
import { ConfigError } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import { loadInventory } from "../src/sources/inventory.ts";
import { targetsOf } from "../src/sources/source.ts";

const config = parseConfig(
  'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1, eu-west-1]\nREQUIRED_TAGS: [env]\n',
  "c.yaml",
);
const [east, west] = targetsOf(config.accounts);
const page = (arns: string[]) =>
  JSON.stringify({ ResourceTagMappingList: arns.map((a) => ({ ResourceARN: a, Tags: [] })) });

async function arnsOf(paths: string[], target = east): Promise<string[]> {
  const source = await loadInventory(paths, config.accounts, silentLogger);
  const out: string[] = [];
  for await (const p of source.pages(target, new AbortController().signal)) {
    out.push(...p.map((r) => r.arn));
  }
  return out;
}

async function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(join(dir, name, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, name), text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadInventory() takes the account and region from <account_id>/<region>.json", async () => {
  await withDir({ "123456789012/us-east-1.json": page(["arn:aws:s3:::b1"]) }, async (dir) => {
    deepStrictEqual(await arnsOf([dir]), ["arn:aws:s3:::b1"]);
  });
});

Deno.test("loadInventory() takes them from <account_id>/<region>/*.json and merges saved pages", async () => {
  await withDir({
    "123456789012/eu-west-1/page1.json": page(["arn:aws:s3:::b1", "arn:aws:s3:::b2"]),
    "123456789012/eu-west-1/page2.json": page(["arn:aws:s3:::b2", "arn:aws:s3:::b3"]),
  }, async (dir) => {
    // b2 appears in both pages and is counted once.
    deepStrictEqual(await arnsOf([dir], west), [
      "arn:aws:s3:::b1",
      "arn:aws:s3:::b2",
      "arn:aws:s3:::b3",
    ]);
  });
});

Deno.test("loadInventory() takes them from an envelope before the path", async () => {
  await withDir({
    "123456789012/us-east-1.json": JSON.stringify({
      account_id: "123456789012",
      region: "eu-west-1",
      ResourceTagMappingList: [{ ResourceARN: "arn:aws:s3:::b", Tags: [] }],
    }),
  }, async (dir) => {
    deepStrictEqual(await arnsOf([dir], west), ["arn:aws:s3:::b"]);
  });
});

Deno.test("loadInventory() takes them from the ARNs when they agree; bucket ARNs join", async () => {
  await withDir({
    "saved.json": page(["arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws:s3:::b"]),
  }, async (dir) => {
    deepStrictEqual(await arnsOf([join(dir, "saved.json")]), [
      "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
      "arn:aws:s3:::b",
    ]);
  });
});

Deno.test("loadInventory() rejects files it cannot place or parse, in one line", async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ "x.json": page(["arn:aws:s3:::b"]) }, /cannot tell which account and region it belongs to/],
    [{
      "x.json": page([
        "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
        "arn:aws:ec2:eu-west-1:123456789012:instance/i-2",
      ]),
    }, /mixes resources of 123456789012\/us-east-1, 123456789012\/eu-west-1/],
    [{ "x.json": "{not json" }, /the inventory is not valid JSON/],
    [{ "x.json": "{}" }, /has no ResourceTagMappingList list/],
    [
      { "x.json": JSON.stringify({ ResourceTagMappingList: [{ Tags: [] }] }) },
      /ResourceTagMappingList\[0\]\.ResourceARN must be a string/,
    ],
    [{
      "x.json": JSON.stringify({
        account_id: 123,
        region: "us-east-1",
        ResourceTagMappingList: [],
      }),
    }, /account_id must be a quoted 12-digit account id/],
  ];
  for (const [files, message] of cases) {
    await withDir(files, async (dir) => {
      await rejects(loadInventory([dir], config.accounts, silentLogger), (e: Error) => {
        ok(e instanceof ConfigError, String(e));
        ok(message.test(e.message) && !e.message.includes("\n"), e.message);
        return true;
      });
    });
  }
  await rejects(
    loadInventory(["/nonexistent"], config.accounts, silentLogger),
    /cannot read the inventory: no such file \(check --inventory\)/,
  );
});

Deno.test("a target without inventory fails with NoInventory", async () => {
  await withDir({ "123456789012/us-east-1.json": page([]) }, async (dir) => {
    const source = await loadInventory([dir], config.accounts, silentLogger);
    await rejects(
      (async () => {
        for await (const _ of source.pages(west, new AbortController().signal)) { /* drain */ }
      })(),
      (e: Error & { code?: string }) => e.code === "NoInventory",
    );
    strictEqual((await arnsOf([dir])).length, 0);
  });
});
