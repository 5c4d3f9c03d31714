/**
 * The reference pages in docs/ name every config key and every flag the
 * program accepts, so a key or flag cannot be added without its docs.
 */
import assert from "node:assert/strict";
import { processIo } from "../src/cli/io.ts";
import { buildProgram } from "../src/cli/program.ts";
import { TOP_KEYS } from "../src/config/parse.ts";

const docs = async (...pages: string[]) =>
  (await Promise.all(pages.map((p) => Deno.readTextFile(`docs/${p}`)))).join("\n");

Deno.test("docs/configuration.md names every top-level config key", async () => {
  const text = await docs("configuration.md");
  assert.ok(TOP_KEYS.length > 20);
  const missing = TOP_KEYS.filter((k) => !text.includes(`\`${k}\``) && !text.includes(`${k}:`));
  assert.deepEqual(missing, []);
});

Deno.test("every flag of every command is in docs/", async () => {
  const pages = [...Deno.readDirSync("docs")].map((e) => e.name).filter((n) => n.endsWith(".md"));
  const text = await docs(...pages);
  const program = buildProgram(processIo(), { code: 0 });
  const flags = program.commands.flatMap((c) =>
    c.options.flatMap((o) => (o.long ? [[c.name(), o.long]] : []))
  );
  assert.ok(flags.length > 40, `only ${flags.length} flags found`);
  const missing = flags.filter(([, f]) => !new RegExp(`${f.replaceAll(".", "\\.")}\\b`).test(text));
  assert.deepEqual(missing, []);
});
