/** readJsonList(): the entries of a big JSON list, streamed, exactly as JSON.parse reads them. */
import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { JsonListError, type JsonListEvent, readJsonList } from "../src/sources/json_list.ts";

async function withFile<T>(text: string | Uint8Array, fn: (path: string) => Promise<T>) {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "x.json");
    if (typeof text === "string") await Deno.writeTextFile(path, text);
    else await Deno.writeFile(path, text);
    return await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every entry of `key` and the other keys, as readJsonList reads `text`. */
function read(text: string | Uint8Array, key = "L", maxBytes?: number) {
  return withFile(text, async (path) => {
    using f = await Deno.open(path);
    const items: unknown[] = [];
    let end: Extract<JsonListEvent, { kind: "end" }> | undefined;
    for await (const e of readJsonList(f, key, maxBytes)) {
      if (e.kind === "items") {
        strictEqual(e.first, items.length, "batches are in order");
        items.push(...e.items);
      } else end = e;
    }
    return { items, top: end!.top, listed: end!.listed };
  });
}

Deno.test("readJsonList() reads what JSON.parse reads, across chunk boundaries", async () => {
  // ~3 MB of entries full of escapes, quotes, backslashes and non-ASCII text,
  // so that chunk and batch boundaries fall inside strings and escapes.
  const nasty = ['"', "\\", '\\\\"', "é", "𝄞", "\u2028", "}]", "{[", ",", "\n"];
  const list = Array.from({ length: 12_000 }, (_, i) => ({
    ResourceARN: `arn:aws:s3:::b-${i}${nasty[i % nasty.length]}`,
    Tags: [{ Key: nasty[(i * 7) % nasty.length].repeat(i % 50), Value: "v".repeat(i % 200) }],
    n: i % 3 ? i : -i / 4,
    deep: i % 100 === 0 ? [[[{ a: [null, true, false] }]]] : null,
  }));
  const doc = { before: { x: [1, "]"] }, L: list, after: "z", account_id: "123456789012" };
  for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
    ok(text.length > 1 << 20, "spans several chunks");
    const got = await read(text);
    deepStrictEqual(got.items, JSON.parse(text).L);
    strictEqual(got.items.length, list.length);
    deepStrictEqual(got.top, { before: doc.before, after: "z", account_id: "123456789012" });
    strictEqual(got.listed, true);
  }
});

Deno.test("readJsonList() reads a BOM, an empty list, a missing list and an empty object", async () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"L": [1]}')]);
  deepStrictEqual((await read(bom)).items, [1]);
  deepStrictEqual(await read(' { "L" : [ ] } \n'), { items: [], top: {}, listed: true });
  deepStrictEqual(await read('{"M": [1, 2]}'), { items: [], top: { M: [1, 2] }, listed: false });
  deepStrictEqual(await read('{"L": null}'), { items: [], top: { L: null }, listed: false });
  deepStrictEqual(await read("{}"), { items: [], top: {}, listed: false });
});

Deno.test("readJsonList() says where the JSON is broken, in one line", async () => {
  const cases: [string, string][] = [
    ["", "expected the start of an object at character 1"],
    ["[1]", "expected the start of an object at character 1"],
    ['{"L": [1, 2', "expected ',' or ']' after L[1] at character 12"],
    ['{"L": [1,, 2]}', "expected L[1] at character 10"],
    ['{"L": [1, ]}', "expected L[1] at character 11"],
    ['{"L": [{"a": 1}{"b": 2}]}', "expected ',' or ']' after L[0] at character 16"],
    ['{"L": [1]} x', "text after the end of the object at character 12"],
    ['{"L": [1], "L": [2]}', 'a second "L" at character 16'],
    ['{"L": ["abc', "the file ends inside L[0] at character 8"],
    ['{"L": [tru]}', "L[0] is not valid JSON"],
    ["{x: 1}", "expected a key in double quotes at character 2"],
    ['{"a" 1}', "expected ':' after \"a\" at character 6"],
  ];
  for (const [text, message] of cases) {
    await rejects(read(text), (e: Error) => {
      ok(e instanceof JsonListError, `${text}: ${e}`);
      ok(e.message.startsWith(message), `${text}: ${e.message}`);
      ok(!e.message.includes("\n"), e.message);
      return true;
    });
  }
});

Deno.test("readJsonList() refuses bytes that are not UTF-8, and files over its limit", async () => {
  await rejects(read(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), TypeError);
  const big = JSON.stringify({ L: Array.from({ length: 100_000 }, (_, i) => i) });
  await rejects(read(big, "L", 300_000), (e: Error) => {
    ok(e instanceof JsonListError && e.tooLarge !== undefined && e.tooLarge > 300_000, String(e));
    return true;
  });
  strictEqual((await read(big, "L", big.length)).items.length, 100_000);
});
