import { join } from "node:path";
import { ConfigError, describeFsError } from "../errors.ts";

/**
 * The inventory files that `--inventory` paths name: files as given, and
 * every `*.json` below directories, sorted per directory. Symlinks are
 * followed, files and directories as well (a Kubernetes ConfigMap mount is a
 * directory of `*.json` links into a hidden `..data` directory); entries whose
 * names start with `.` are skipped, as a shell's `*` skips them, so that
 * hidden copy is not read twice; a file reached twice (two links, two flags)
 * is read once, and a directory reached again (a link to a parent) is not
 * walked again. Fails with a one-line `ConfigError` for a path that cannot be
 * read, a dangling link or link loop, or a directory without `*.json` files.
 *
 * @example
 * await inventoryFiles(["/etc/aws-tag-exporter/inventory"]); // [".../123456789012.json", ...]
 */
export async function inventoryFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const files = new Set<string>();
  const add = async (file: string) => {
    const real = await realPath(file);
    if (!files.has(real)) (files.add(real), out.push(file));
  };
  for (const path of paths) {
    const info = await statOf(path, "the inventory");
    if (info.isFile) {
      await add(path);
      continue;
    }
    if (!info.isDirectory) {
      throw new ConfigError(
        `${path}: the inventory is not a file or a directory (check --inventory)`,
      );
    }
    const found: string[] = [];
    await walk(path, found, new Set());
    if (found.length === 0) {
      throw new ConfigError(
        `${path}: the inventory directory has no *.json files (check --inventory)`,
      );
    }
    for (const file of found.sort()) await add(file);
  }
  return out;
}

async function walk(dir: string, found: string[], seen: Set<string>): Promise<void> {
  const real = await realPath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  let entries: Deno.DirEntry[];
  try {
    // Sorted, so the first problem reported is the same on every run.
    entries = (await Array.fromAsync(Deno.readDir(dir))).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
  } catch (e) {
    throw new ConfigError(
      `${dir}: cannot read the inventory directory: ${describeFsError(e)} (check --inventory)`,
    );
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const child = join(dir, entry.name);
    const info = entry.isSymlink ? await statOf(child, "the inventory link") : entry;
    if (info.isDirectory) await walk(child, found, seen);
    else if (entry.name.endsWith(".json")) {
      if (!info.isFile) {
        throw new ConfigError(`${child}: the inventory file is not a regular file`);
      }
      found.push(child);
    }
  }
}

async function statOf(path: string, what: string): Promise<Deno.FileInfo> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    throw new ConfigError(
      `${path}: cannot read ${what}: ${describeFsError(e)} (check --inventory)`,
    );
  }
}

async function realPath(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch (e) {
    throw new ConfigError(`${path}: cannot read the inventory: ${describeFsError(e)}`);
  }
}
