import { dirname, isAbsolute, join } from "node:path";
import { ConfigError, describeFsError, needsAllAccess } from "../errors.ts";

/**
 * Where an `--output` path leads: a regular file (new or existing, at the end
 * of any symlinks) that is replaced atomically; a FIFO or character device (a
 * pipe, `/dev/null`) that is written through, as `> path` in a shell would;
 * or the process's stdout or stderr, for the names of descriptors 1 and 2.
 */
export type OutputTarget =
  | { readonly kind: "file"; readonly path: string }
  | { readonly kind: "stream"; readonly path: string }
  | { readonly kind: "stdout" }
  | { readonly kind: "stderr" };

/**
 * Names of descriptors 1 and 2. Deno lets only `--allow-all` open them, so
 * they are written as the process's stdout and stderr, not opened.
 */
const STDOUT_NAMES = new Set(["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);
const STDERR_NAMES = new Set(["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"]);

/** Symlinks followed before a path is taken for a loop (as Linux's ELOOP limit). */
const MAX_LINKS = 40;

/**
 * Decides where `path` is written, failing with a one-line `ConfigError` when
 * it cannot be an output: empty, a directory, a block device or socket, a
 * symlink loop, a new file whose directory does not exist, or a path Deno
 * opens only with `--allow-all` (most of `/dev` and `/proc`: a terminal,
 * `/dev/full`). A symlink is kept: its final target is what gets replaced.
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
  if (STDERR_NAMES.has(path)) return { kind: "stderr" };
  const refused = () => fail(allAccessOnly(flag, path));
  const info = await Deno.stat(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return null;
    if (needsAllAccess(e)) return refused();
    return fail(describeFsError(e));
  });
  if (info?.isDirectory) fail("it is a directory (name a file in it)");
  if (info?.isFifo) return { kind: "stream", path };
  if (info?.isCharDevice) {
    // Deno stats some devices it will not open for writing (/dev/tty): try it now, not after a scan.
    await Deno.open(path, { write: true }).then((f) => f.close(), (e) => {
      if (needsAllAccess(e)) refused();
    });
    return { kind: "stream", path };
  }
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

/** Why a path Deno opens only with `--allow-all` is refused, and what works instead. */
function allAccessOnly(flag: string, path: string): string {
  return `Deno opens it only with --allow-all, which no task or release binary has ` +
    `(omit ${flag} and redirect stdout: > ${path}; or name a regular file)`;
}
