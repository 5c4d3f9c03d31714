/** --output onto special files: FIFOs, /dev/std*, devices, sockets; stdout onto /dev/full. */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import {
  DEMO,
  names,
  oneLine,
  POSIX,
  reportFlags,
  reportTo,
  scanFlags,
  scanTo,
} from "./helpers/output_fixture.ts";
import { mknod, rootTest } from "./helpers/root.ts";
import { withTempDir } from "./helpers/temp_dir.ts";

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
