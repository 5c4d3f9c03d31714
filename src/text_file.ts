import { ConfigError, describeFsError } from "./errors.ts";

/** 10 MiB: more than any hand-written file (config, web config) needs. */
export const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

/**
 * 512 MiB: about the longest string V8 holds, so the most a whole-file read
 * can ever decode (snapshots, inventories).
 */
export const MAX_STRING_BYTES = 512 * 1024 * 1024 - 64;

/**
 * Reads a UTF-8 text file the user named (config, inventory, web config,
 * snapshot), turning every failure into a one-line `ConfigError`. `what`
 * names the file's role in the message, `hint` says how to fix the path, and
 * `maxBytes` is the most this use accepts.
 *
 * Only regular files (or symlinks to one) are read: a FIFO would block the
 * open forever and a device such as /dev/zero never ends. The size is checked
 * before reading, and again while reading, since a file may grow (or, like
 * /proc files, report size 0).
 *
 * @example
 * const text = await readTextFile("config.yaml", "config file", "pass --config FILE", MAX_CONFIG_BYTES);
 */
export async function readTextFile(
  path: string,
  what: string,
  hint: string,
  maxBytes: number,
): Promise<string> {
  const bytes = await readBounded(path, what, hint, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ConfigError(`${path}: the ${what} is not UTF-8 text (save it as UTF-8)`);
  }
}

async function readBounded(
  path: string,
  what: string,
  hint: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const cannot = (e: unknown) => {
    // A permission error carries its own advice; the hint is about the path.
    const advice = e instanceof Deno.errors.NotCapable ? "" : ` (${hint})`;
    return new ConfigError(`${path}: cannot read the ${what}: ${describeFsError(e)}${advice}`);
  };
  const tooLarge = (size: string) =>
    new ConfigError(
      `${path}: the ${what} is ${size}; the limit is ${exactBytes(maxBytes)}`,
    );
  let file: Deno.FsFile;
  let size: number;
  try {
    // Stat first: opening a FIFO blocks until a writer comes.
    const info = await Deno.stat(path);
    if (!info.isFile) throw new ConfigError(`${path}: the ${what} ${notRegular(info)} (${hint})`);
    if (info.size > maxBytes) throw tooLarge(exactBytes(info.size));
    size = info.size;
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw e instanceof ConfigError ? e : cannot(e);
  }
  try {
    // One buffer of the stated size (plus a byte to see growth), grown only
    // for files that grow or do not state their size.
    let buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(size + 1, 64 * 1024)));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) throw tooLarge(`over ${formatBytes(maxBytes)}`);
        const bigger = new Uint8Array(Math.min(maxBytes + 1, buf.length * 2));
        bigger.set(buf);
        buf = bigger;
      }
      const n = await file.read(buf.subarray(total));
      if (n === null) break;
      total += n;
    }
    if (total > maxBytes) throw tooLarge(`over ${formatBytes(maxBytes)}`);
    return buf.subarray(0, total);
  } catch (e) {
    throw e instanceof ConfigError ? e : cannot(e);
  } finally {
    file.close();
  }
}

function notRegular(info: Deno.FileInfo): string {
  if (info.isDirectory) return "is a directory, not a file";
  if (info.isFifo) return "is a FIFO (named pipe), not a regular file";
  if (info.isCharDevice || info.isBlockDevice) return "is a device, not a regular file";
  if (info.isSocket) return "is a socket, not a regular file";
  return "is not a regular file";
}

/** `10 MiB (10485760 bytes)`, or `300 bytes`. */
function exactBytes(n: number): string {
  const short = formatBytes(n);
  return short === `${n} bytes` ? short : `${short} (${n} bytes)`;
}

/** `10 MiB`, `1.5 KiB`, `300 bytes`. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}
