/** readTextFile: whole files back intact, hostile ones refused in one line. */
import { rejects, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { formatBytes, readTextFile } from "../src/text_file.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

Deno.test("readTextFile() returns a multi-megabyte file byte for byte, and one of exactly the limit", async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, "big.txt");
    const text = Array.from({ length: 300_000 }, (_, i) => `line ${i} é\n`).join("");
    await Deno.writeTextFile(file, text);
    const size = (await Deno.stat(file)).size;
    strictEqual(await readTextFile(file, "file", "hint", 10 * 1024 * 1024), text);
    strictEqual(await readTextFile(file, "file", "hint", size), text);
    await rejects(
      readTextFile(file, "file", "hint", size - 1),
      new RegExp(
        `the file is ${formatBytes(size).replace(".", "\\.")} \\(${size} bytes\\); the limit`,
      ),
    );
  });
});

Deno.test("readTextFile() refuses a directory and names the fix", async () => {
  await withTempDir(async (dir) => {
    await rejects(
      readTextFile(dir, "config file", "pass --config FILE", 100),
      { message: `${dir}: the config file is a directory, not a file (pass --config FILE)` },
    );
  });
});

Deno.test("formatBytes() uses the largest binary unit", () => {
  strictEqual(formatBytes(300), "300 bytes");
  strictEqual(formatBytes(1536), "1.5 KiB");
  strictEqual(formatBytes(10 * 1024 * 1024), "10 MiB");
});
