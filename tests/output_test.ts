/**
 * `--output` under hostile conditions: a full disk, special files, symlinks,
 * and temp files left by a killed run. Tests that need root (a tmpfs to fill,
 * mknod) run in CI and are ignored elsewhere.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { STALE_TEMP_MS, TEMP_PREFIX, writeAtomic } from "../src/output/atomic.ts";
import { mknod, rootTest, withTmpfs } from "./helpers/root.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

const DEMO = ["--config", "examples/demo/config.yaml", "--inventory", "examples/demo/inventory"];
const scanFlags = await taskFlags("scan");
const reportFlags = await taskFlags("report");
const POSIX = { ignore: Deno.build.os === "windows" };

function scanTo(out: string) {
  return runCli(scanFlags, ["scan", ...DEMO, "--output", out]);
}

function reportTo(out: string) {
  return runCli(reportFlags, ["report", ...DEMO, "--format", "markdown", "--output", out]);
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  strictEqual(lines.length, 1, stderr);
  return lines[0];
}

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

Deno.test({
  name: "--output onto a FIFO writes through to its reader and keeps the FIFO",
  ...POSIX,
}, async () => {
  await withTempDir(async (dir) => {
    const fifo = join(dir, "pipe");
    strictEqual((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
    const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).spawn();
    const run = await scanTo(fifo);
    const stillFifo = (await Deno.lstat(fifo)).isFifo;
    // Replaced, the FIFO has no writer left: free the reader before failing.
    if (!stillFifo) reader.kill();
    const read = new TextDecoder().decode((await reader.output()).stdout);
    ok(stillFifo, "the FIFO was replaced by a file");
    strictEqual(run.code, 0, run.stderr);
    ok(read.startsWith("# HELP tag_compliant_total "), read.slice(0, 80));
    ok(read.includes("compliance_percentage{"));
    deepStrictEqual(names(dir), ["pipe"]);
  });
});

Deno.test("--output /dev/stdout writes to stdout (Deno's permissions do not reach /dev/stdout)", async () => {
  for (const path of ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]) {
    const run = await scanTo(path);
    strictEqual(run.code, 0, run.stderr);
    ok(run.stdout.startsWith("# HELP tag_compliant_total "), run.stdout.slice(0, 80));
  }
});

Deno.test({
  name: "--output /dev/stderr writes to stderr under the tasks' permissions, stdout stays empty",
  ...POSIX,
}, async () => {
  for (const path of ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"]) {
    const scan = await scanTo(path);
    strictEqual(scan.code, 0, scan.stderr);
    strictEqual(scan.stdout, "");
    ok(scan.stderr.startsWith("# HELP tag_compliant_total "), scan.stderr.slice(0, 80));
    // The exposition is whole, then the summary line follows it.
    ok(/compliance_percentage\{.*\n(.*\n)*scanned 245 resources .*\n$/.test(scan.stderr));
    const report = await reportTo(path);
    strictEqual(report.code, 0, report.stderr);
    strictEqual(report.stdout, "");
    ok(report.stderr.startsWith("## Tag compliance report\n"), report.stderr.slice(0, 80));
  }
});

Deno.test({
  name: "--output to a device Deno opens only with --allow-all exits 2 before scanning, saying " +
    "what works",
  ...POSIX,
}, async () => {
  for (const path of ["/dev/full", "/dev/tty", "/dev/shm/aws_tags.prom"]) {
    for (const run of [await scanTo(path), await reportTo(path)]) {
      strictEqual(run.code, 2, run.stderr);
      strictEqual(run.stdout, "");
      // One line and no summary: nothing was scanned.
      strictEqual(
        oneLine(run.stderr),
        `error: ${path}: cannot write --output there: Deno opens it only with --allow-all, ` +
          `which no task or release binary has (omit --output and redirect stdout: > ${path}; ` +
          `or name a regular file)`,
      );
    }
  }
});

Deno.test({
  name: "stdout redirected to /dev/full (the way the --output error advises) exits 1",
  ...POSIX,
}, async () => {
  for (
    const [flags, args] of [[scanFlags, ["scan", ...DEMO]], [reportFlags, ["report", ...DEMO]]]
  ) {
    const main = new URL("../main.ts", import.meta.url).pathname;
    const out = await new Deno.Command("sh", {
      args: ["-c", 'exec "$0" "$@" > /dev/full', Deno.execPath(), "run", ...flags, main, ...args],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    strictEqual(out.code, 1, stderr);
    strictEqual(oneLine(stderr), "error: No space left on device (os error 28)");
  }
});

Deno.test({
  name:
    "--output onto character devices writes through: /dev/null stays a device, /dev/full exits 1",
  ...rootTest(),
}, async () => {
  await withTempDir(async (dir) => {
    const nul = join(dir, "null");
    const full = join(dir, "full");
    mknod(nul, "c", 1, 3);
    mknod(full, "c", 1, 7);
    const ok0 = await scanTo(nul);
    strictEqual(ok0.code, 0, ok0.stderr);
    ok((await Deno.lstat(nul)).isCharDevice, "/dev/null was replaced by a file");
    const bad = await scanTo(full);
    strictEqual(bad.code, 1, bad.stderr);
    ok(/cannot write .*full: No space left on device/.test(oneLine(bad.stderr)), bad.stderr);
    ok((await Deno.lstat(full)).isCharDevice);
    deepStrictEqual(names(dir), ["full", "null"]);
  });
});

Deno.test(
  { name: "--output onto a socket or block device exits 2 before scanning", ...POSIX },
  async () => {
    await withTempDir(async (dir) => {
      const sock = join(dir, "sock");
      using _listener = Deno.listen({ transport: "unix", path: sock });
      const targets = [sock];
      if (!rootTest().ignore) {
        mknod(join(dir, "loop"), "b", 7, 0);
        targets.push(join(dir, "loop"));
      }
      for (const target of targets) {
        const run = await scanTo(target);
        strictEqual(run.code, 2, run.stderr);
        ok(oneLine(run.stderr).includes("it is a block device or socket"), run.stderr);
      }
      ok((await Deno.lstat(sock)).isSocket);
    });
  },
);

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
