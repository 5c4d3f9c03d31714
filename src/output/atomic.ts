import { basename, dirname, join } from "node:path";
import { ConfigError, describeFsError } from "../errors.ts";

/**
 * Writes text chunks to `path` atomically: into a temp file in the same
 * directory, then a rename. A reader (node_exporter's textfile collector)
 * sees the old file or the new one, never a partial one; on any error the old
 * file is untouched and the temp file is removed.
 */
export async function writeAtomic(
  path: string,
  chunks: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o644 });
  } catch (e) {
    throw new Error(`cannot write ${path}: ${describeFsError(e)}`);
  }
  try {
    await pipeChunks(chunks, file.writable.getWriter());
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`cannot write ${path}: ${describeFsError(e)}`);
  }
}

/**
 * Fails with a one-line `ConfigError` when `path` cannot be an output file
 * (it is a directory, or its directory does not exist), so a typo is caught
 * before a scan runs rather than after.
 */
export async function checkOutputPath(path: string, flag = "--output"): Promise<void> {
  const fail = (why: string): never => {
    throw new ConfigError(`${path}: cannot write ${flag} there: ${why}`);
  };
  if (path.trim() === "") throw new ConfigError(`${flag} is empty (give a file name)`);
  const info = await Deno.stat(path).catch(() => null);
  if (info?.isDirectory) fail("it is a directory (name a file in it)");
  const dir = await Deno.stat(dirname(path)).catch((e) =>
    fail(`its directory ${dirname(path)}: ${describeFsError(e)}`)
  );
  if (!dir.isDirectory) fail(`${dirname(path)} is not a directory`);
}

/** Writes text chunks to a stream writer, then closes it. */
export async function pipeChunks(
  chunks: AsyncIterable<string> | Iterable<string>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
): Promise<void> {
  const encoder = new TextEncoder();
  try {
    for await (const chunk of chunks) {
      if (chunk.length > 0) await writer.write(encoder.encode(chunk));
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => {});
    throw e;
  }
}

/**
 * Writes text chunks to stdout without closing it. A reader that goes away
 * (`scan | head`) ends the output quietly, as with any Unix filter.
 */
export async function writeStdout(chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const encoder = new TextEncoder();
  try {
    for await (const chunk of chunks) {
      const bytes = encoder.encode(chunk);
      let off = 0;
      while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
  }
}
