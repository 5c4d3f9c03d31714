import { dirname, join } from "node:path";

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
  const dir = dirname(path);
  const tmp = join(dir, `.${path.split(/[\\/]/).pop()}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o644 });
  try {
    await pipeChunks(chunks, file.writable.getWriter());
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
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

/** Writes text chunks to stdout without closing it. */
export async function writeStdout(chunks: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const encoder = new TextEncoder();
  for await (const chunk of chunks) {
    const bytes = encoder.encode(chunk);
    let off = 0;
    while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
  }
}
