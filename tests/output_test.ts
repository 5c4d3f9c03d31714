/** --output onto regular files: atomic on a full disk, through symlinks, stale temps removed. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { STALE_TEMP_MS, TEMP_PREFIX, writeAtomic } from "../src/output/atomic.ts";
import { names, oneLine, POSIX, reportTo, scanTo } from "./helpers/output_fixture.ts";
import { rootTest, withTmpfs } from "./helpers/root.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

/** Fills the file system of `dir` to the last byte, with a file named `.filler`. */
async function fill(dir: string): Promise<void> {
  const filler = join(dir, ".filler");
  using f = await Deno.open(filler, { write: true, create: true });
  const block = new Uint8Array(1024);
  try {
    for (;;) await f.write(block);
  } catch (e) {
    if (!(e instanceof Error) || !/No space left/.test(e.message)) throw e;
  }
}

Deno.test({
  name: "scan and report --output on a full disk exit 1 in one line; old file kept, no temp left",
  ...rootTest(),
}, async () => {
  await withTmpfs("64k", async (dir) => {
    const out = join(dir, "aws_tags.prom");
    await Deno.writeTextFile(out, "old\n");
    // The demo exposition (~84 kB) cannot fit in 64 kB.
    const scan = await scanTo(out);
    strictEqual(scan.code, 1, scan.stderr);
    ok(/^error: cannot write .*aws_tags\.prom: No space left on device/.test(oneLine(scan.stderr)));
    ok(oneLine(scan.stderr).endsWith("(the old file is unchanged)"), scan.stderr);
    strictEqual(await Deno.readTextFile(out), "old\n");
    deepStrictEqual(names(dir), ["aws_tags.prom"]);

    const md = join(dir, "report.md");
    await Deno.writeTextFile(md, "old report\n");
    await fill(dir); // the scan's 64 kB went; now the disk is full to the last page
    const report = await reportTo(md);
    strictEqual(report.code, 1, report.stderr);
    ok(/^error: cannot write .*report\.md: No space left on device/.test(oneLine(report.stderr)));
    strictEqual(await Deno.readTextFile(md), "old report\n");
    deepStrictEqual(names(dir), [".filler", "aws_tags.prom", "report.md"]);
  });
});

Deno.test(
  { name: "--output through a symlink keeps the link and replaces its target", ...POSIX },
  async () => {
    await withTempDir(async (dir) => {
      await Deno.mkdir(join(dir, "real"));
      const target = join(dir, "real", "aws_tags.prom");
      await Deno.writeTextFile(target, "old\n");
      const link = join(dir, "aws_tags.prom");
      await Deno.symlink("real/aws_tags.prom", link);
      // A dangling link, as before the first run, also stays a link.
      const dangling = join(dir, "new.prom");
      await Deno.symlink("real/new.prom", dangling);
      for (const [path, real] of [[link, target], [dangling, join(dir, "real", "new.prom")]]) {
        const run = await scanTo(path);
        strictEqual(run.code, 0, run.stderr);
        ok((await Deno.lstat(path)).isSymlink, `${path} is no longer a symlink`);
        ok((await Deno.readTextFile(real)).includes("compliance_percentage{"));
      }
      deepStrictEqual(names(join(dir, "real")), ["aws_tags.prom", "new.prom"]);
      await Deno.symlink("loop-b", join(dir, "loop-a"));
      await Deno.symlink("loop-a", join(dir, "loop-b"));
      const loop = await scanTo(join(dir, "loop-a"));
      strictEqual(loop.code, 2, loop.stderr);
      ok(oneLine(loop.stderr).includes("a symlink loop"), loop.stderr);
    });
  },
);

Deno.test({
  name: "a later run removes the temp file of a run killed with -9, once stale",
  ...POSIX,
}, async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, "aws_tags.prom");
    // A writer that stalls after its first chunk, killed mid-write.
    const script = join(dir, "stall.ts");
    await Deno.writeTextFile(
      script,
      `import { writeAtomic } from ${
        JSON.stringify(new URL("../src/output/atomic.ts", import.meta.url).href)
      };
async function* chunks() { yield "x".repeat(1 << 20); await new Promise(() => setInterval(() => {}, 1000)); }
await writeAtomic(${JSON.stringify(out)}, chunks());`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", script],
      stdout: "null",
      stderr: "null",
    }).spawn();
    let temps: string[] = [];
    for (let i = 0; i < 400 && temps.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      temps = names(dir).filter((n) => n.startsWith(TEMP_PREFIX));
    }
    child.kill("SIGKILL");
    await child.status;
    strictEqual(temps.length, 1, `no temp file appeared: ${names(dir)}`);
    const stale = join(dir, temps[0]);
    const fresh = join(dir, `${TEMP_PREFIX}other.prom.12345678.tmp`);
    await Deno.writeTextFile(fresh, "a run still writing\n");
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    await Deno.utime(stale, old, old);
    await writeAtomic(out, ["new\n"]);
    strictEqual(await Deno.readTextFile(out), "new\n");
    // The killed run's temp file is gone; a fresh one (another run, still writing) stays.
    deepStrictEqual(names(dir), [
      `${TEMP_PREFIX}other.prom.12345678.tmp`,
      "aws_tags.prom",
      "stall.ts",
    ]);
  });
});
