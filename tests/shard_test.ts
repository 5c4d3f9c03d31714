import assert from "node:assert/strict";
import { fnv1a32 } from "../src/hash.ts";
import { parseShard, shardOf, shardTargets } from "../src/scan/shard.ts";

const ok: Array<[string, { index: number; count: number }]> = [
  ["0/1", { index: 0, count: 1 }],
  ["0/3", { index: 0, count: 3 }],
  ["2/3", { index: 2, count: 3 }],
  [" 1/2 ", { index: 1, count: 2 }],
  ["1023/1024", { index: 1023, count: 1024 }],
];

for (const [spec, want] of ok) {
  Deno.test(`parseShard() reads ${JSON.stringify(spec)}`, () => {
    assert.deepEqual({ ...parseShard(spec) }, want);
  });
}

const bad: Array<[string, string]> = [
  ["", "is not INDEX/COUNT"],
  ["1", "is not INDEX/COUNT"],
  ["1/", "is not INDEX/COUNT"],
  ["-1/3", "is not INDEX/COUNT"],
  ["1.5/3", "is not INDEX/COUNT"],
  ["a/3", "is not INDEX/COUNT"],
  ["1/3/4", "is not INDEX/COUNT"],
  ["0/0", "count must be from 1 to 1024"],
  ["0/1025", "count must be from 1 to 1024"],
  ["3/3", "index must be below the count 3 (shards are 0-based: 0/3 to 2/3)"],
  ["7/3", "must be below the count 3"],
];

for (const [spec, message] of bad) {
  Deno.test(`parseShard() rejects ${JSON.stringify(spec)}`, () => {
    assert.throws(() => parseShard(spec), (e: unknown) => {
      if (!(e instanceof RangeError)) return false;
      if (e.message.includes("\n")) throw new Error(`not one line: ${e.message}`);
      if (!e.message.includes(message)) {
        throw new Error(`${JSON.stringify(e.message)} lacks ${JSON.stringify(message)}`);
      }
      return true;
    });
  });
}

Deno.test("fnv1a32() matches the reference FNV-1a test vectors", () => {
  assert.deepEqual(fnv1a32(""), 0x811c9dc5);
  assert.deepEqual(fnv1a32("a"), 0xe40c292c);
  assert.deepEqual(fnv1a32("foobar"), 0xbf9cf968);
});

Deno.test("shardOf() is pinned: the assignment of an account never changes between releases", () => {
  // Changing these breaks running StatefulSets mid-upgrade (an account would
  // be scanned twice or not at all), so they are part of the contract.
  const ids = ["123456789012", "210987654321", "012345678901", "111111111111"];
  assert.deepEqual(ids.map(fnv1a32), [0x2858fda7, 0x89e539af, 0x76c152f5, 0xbefd9501]);
  assert.deepEqual(ids.map((id) => shardOf(id, 3)), [2, 1, 2, 2]);
  assert.deepEqual(ids.map((id) => shardOf(id, 4)), [3, 3, 1, 1]);
});

function targetsFor(accounts: number, regions: string[]) {
  const out: Array<{ account: { id: string }; region: string }> = [];
  for (let a = 0; a < accounts; a++) {
    const id = String(100000000000 + a * 7919);
    for (const region of regions) out.push({ account: { id }, region });
  }
  return out;
}

Deno.test("shardTargets() covers every target exactly once across all shards", () => {
  const targets = targetsFor(200, ["us-east-1", "eu-west-1", "ap-south-1"]);
  for (const count of [1, 2, 3, 5, 16]) {
    const seen = new Map<object, number>();
    for (let index = 0; index < count; index++) {
      for (const t of shardTargets(targets, { index, count })) {
        seen.set(t, (seen.get(t) ?? 0) + 1);
      }
    }
    assert.deepEqual(seen.size, targets.length, `count ${count}`);
    assert.deepEqual([...seen.values()].every((n) => n === 1), true, `count ${count}`);
  }
});

Deno.test("shardTargets() keeps every region of an account in one shard", () => {
  const targets = targetsFor(50, ["us-east-1", "eu-west-1", "ap-south-1"]);
  const shardOfAccount = new Map<string, number>();
  for (let index = 0; index < 4; index++) {
    for (const t of shardTargets(targets, { index, count: 4 })) {
      const prev = shardOfAccount.get(t.account.id);
      if (prev !== undefined) assert.deepEqual(prev, index, t.account.id);
      shardOfAccount.set(t.account.id, index);
    }
  }
  assert.deepEqual(shardOfAccount.size, 50);
});

Deno.test("shardTargets() keeps the config order and spreads 200 accounts roughly evenly", () => {
  const targets = targetsFor(200, ["us-east-1"]);
  const sizes = [0, 1, 2, 3].map((index) => {
    const part = shardTargets(targets, { index, count: 4 });
    const positions = part.map((t) => targets.indexOf(t));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    return part.length;
  });
  for (const n of sizes) {
    if (n < 30 || n > 70) throw new Error(`uneven shards: ${sizes.join(", ")}`);
  }
});

Deno.test("shardTargets() with one shard returns all targets", () => {
  const targets = targetsFor(3, ["us-east-1"]);
  assert.deepEqual(shardTargets(targets, { index: 0, count: 1 }), targets);
});

Deno.test("shardTargets() does not move other accounts when one is added", () => {
  const before = targetsFor(30, ["us-east-1"]);
  const after = [...before, { account: { id: "999999999999" }, region: "us-east-1" }];
  for (let index = 0; index < 3; index++) {
    const a = shardTargets(before, { index, count: 3 }).map((t) => t.account.id);
    const b = shardTargets(after, { index, count: 3 }).map((t) => t.account.id)
      .filter((id) => id !== "999999999999");
    assert.deepEqual(b, a);
  }
});
