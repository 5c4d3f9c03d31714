import { basename, dirname, join } from "node:path";
import { ConfigError, describeFsError } from "../errors.ts";
import { resolveOutput } from "./output_path.ts";

/**
 * Every temp file starts with this, so a later run can find the ones a killed
 * run left behind (they never end in `.prom`, so node_exporter ignores them).
 */
export const TEMP_PREFIX = ".aws-tag-exporter.";
/** A temp file untouched for this long belongs to a run that died. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Writes text chunks to `path`. A regular file (also at the end of a symlink,
 * which is kept) is replaced atomically: the bytes go to a temp file in the
 * same directory, every byte is checked written, the file is fsynced and its
 * size checked, then it is renamed over the old one and the directory is
 * fsynced. A reader (node_exporter's textfile collector) sees the old file or
 * the new one, never a partial one; on any error (a full disk included) the
 * old file is untouched, the temp file is removed, and the error says so in
 * one line. A FIFO or character device is written through (`/dev/null`, a
 * pipe); `/dev/stdout` is stdout and `/dev/stderr` stderr. Temp files of runs killed an hour or
 * more ago are removed.
 */
export async function writeAtomic(
  path: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  let target;
  try {
    target = await resolveOutput(path);
  } catch (e) {
    // Checked before the scan; whatever changed since is a runtime failure.
    throw new Error(e instanceof ConfigError ? e.message : `cannot write ${path}: ${e}`);
  }
  if (target.kind === "stdout") return await writeStdout(chunks);
  if (target.kind === "stderr") return await writeStd(Deno.stderr, chunks);
  if (target.kind === "stream") return await writeThrough(path, chunks);
  const file = target.path;
  await removeStaleTemps(dirname(file));
  const tmp = join(
    dirname(file),
    `${TEMP_PREFIX}${basename(file)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  let out: Deno.FsFile;
  try {
    out = await Deno.open(tmp, { write: true, createNew: true, mode: 0o644 });
  } catch (e) {
    throw new Error(`cannot write ${path}: ${describeFsError(e)}`);
  }
  try {
    let written = 0;
    try {
      written = await writeChunks(out, chunks);
      await out.sync();
      const size = (await out.stat()).size;
      if (size !== written) throw new Error(`the file has ${size} of ${written} bytes`);
    } finally {
      out.close();
    }
    await Deno.rename(tmp, file);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`cannot write ${path}: ${describeFsError(e)} (the old file is unchanged)`);
  }
  await syncDirectory(dirname(file));
}

/**
 * Fails with a one-line `ConfigError` when `path` cannot be an output file
 * (a directory, a block device, a missing directory, a symlink loop), so a
 * typo is caught before a scan runs rather than after.
 */
export async function checkOutputPath(path: string, flag = "--output"): Promise<void> {
  await resolveOutput(path, flag);
}

/** Writes every chunk to a FIFO or device opened as it is (no temp file, no truncation). */
async function writeThrough(
  path: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  try {
    using out = await Deno.open(path, { write: true });
    await writeChunks(out, chunks);
  } catch (e) {
    throw new Error(`cannot write ${path}: ${describeFsError(e)}`);
  }
}

/**
 * Writes every byte of every chunk and returns the byte count. `write` may
 * write less than it is given, and only it reports a full disk reliably
 * (a `WritableStream` over the file lost ENOSPC), so it is called until done.
 */
async function writeChunks(
  out: Deno.FsFile,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<number> {
  const encoder = new TextEncoder();
  let total = 0;
  for await (const chunk of chunks) {
    const bytes = encoder.encode(chunk);
    for (let off = 0; off < bytes.length;) {
      const n = await out.write(bytes.subarray(off));
      if (n <= 0) throw new Error("the write made no progress");
      off += n;
    }
    total += bytes.length;
  }
  return total;
}

/** Removes `TEMP_PREFIX` files older than `STALE_TEMP_MS` from `dir`; best effort. */
export async function removeStaleTemps(dir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.startsWith(TEMP_PREFIX)) continue;
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path).catch(() => null);
      const mtime = info?.mtime?.getTime();
      if (mtime === undefined || now - mtime < STALE_TEMP_MS) continue;
      await Deno.remove(path).then(() => removed.push(path), () => {});
    }
  } catch {
    // An unreadable directory fails the write itself, with a clearer message.
  }
  return removed;
}

/** fsyncs a directory so the rename survives a crash; not possible on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  try {
    using d = await Deno.open(dir, { read: true });
    await d.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is done.
  }
}

/**
 * Writes text chunks to stdout without closing it. A reader that goes away
 * (`scan | head`) ends the output quietly, as with any Unix filter.
 */
export function writeStdout(chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  return writeStd(Deno.stdout, chunks);
}

/** Writes text chunks to stdout or stderr, as `writeStdout` does. */
async function writeStd(
  stream: typeof Deno.stdout | typeof Deno.stderr,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  const encoder = new TextEncoder();
  try {
    for await (const chunk of chunks) {
      const bytes = encoder.encode(chunk);
      let off = 0;
      while (off < bytes.length) off += await stream.write(bytes.subarray(off));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
}
