import { dirname, isAbsolute, join } from "node:path";
import { ConfigError, describeFsError } from "../errors.ts";

/**
 * Where an `--output` path leads: a regular file (new or existing, at the end
 * of any symlinks) that is replaced atomically; a FIFO or character device (a
 * pipe, a terminal, `/dev/null`) that is written through, as `> path` in a
 * shell would; or the process's stdout, for the names of descriptor 1.
 */
export type OutputTarget =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stream"; readonly path: string }
  | { readonly kind: "stdout" };

/**
 * Names of descriptor 1. Deno lets only `--allow-all` open them, so they are
 * written as stdout, not opened.
 */
const STDOUT_NAMES = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);

/** Symlinks followed before a path is taken for a loop (as Linux's ELOOP limit). */
const MAX_LINKS = 40;

/**
 * Decides where `path` is written, failing with a one-line `ConfigError` when
 * it cannot be an output: empty, a directory, a block device or socket, a
 * symlink loop, or a new file whose directory does not exist. A symlink is
 * kept: its final target is what gets replaced.
 *
 * @example
 * await resolveOutput("/var/lib/node_exporter/aws_tags.prom"); // {kind: "file", path: ...}
 */
export async function resolveOutput(path: string, flag = "--output"): Promise<OutputTarget> {
  const fail = (why: string): never => {
    throw new ConfigError(`${path}: cannot write ${flag} there: ${why}`);
  };
  if (path.trim() === "") throw new ConfigError(`${flag} is empty (give a file name)`);
  if (STDOUT_NAMES.has(path)) return { kind: "stdout" };
  const info = await Deno.stat(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return null;
    return fail(describeFsError(e));
  });
  if (info?.isDirectory) fail("it is a directory (name a file in it)");
  if (info?.isFifo || info?.isCharDevice) return { kind: "stream", path };
  if (info !== null && !info.isFile) {
    fail("it is a block device or socket (name a regular file, a FIFO or a character device)");
  }
  // A regular file, or none yet: replaced at the end of its symlinks.
  const target = info === null ? await danglingTarget(path, fail) : await Deno.realPath(path)
    .catch((e) => fail(describeFsError(e)));
  const dir = await Deno.stat(dirname(target)).catch((e) =>
    fail(`its directory ${dirname(target)}: ${describeFsError(e)}`)
  );
  if (!dir.isDirectory) fail(`${dirname(target)} is not a directory`);
  return { kind: "file", path: target };
}

/**
 * The file a missing path names: itself, or, when it is a dangling symlink
 * (`ln -s aws_tags.prom.real aws_tags.prom` before the first run), the end of
 * its chain, so the link survives the first write.
 */
async function danglingTarget(path: string, fail: (why: string) => never): Promise<string> {
  let current = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    const link = await Deno.lstat(current).catch(() => null);
    if (link === null || !link.isSymlink) return current;
    const to = await Deno.readLink(current).catch((e) => fail(describeFsError(e)));
    current = isAbsolute(to) ? to : join(dirname(current), to);
  }
  return fail(`more than ${MAX_LINKS} symlinks (a symlink loop?)`);
}
