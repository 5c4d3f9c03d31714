/**
 * Tests that need root (a small tmpfs to fill, device nodes made with mknod).
 * CI runs as root, so there such a test runs and fails when it cannot mount;
 * elsewhere it is reported as ignored, never as passed (as peers.ts does for
 * missing programs).
 */
import { IN_CI } from "./peers.ts";

/** Whether this process can mount a tmpfs (root, and a kernel that lets it). */
export const CAN_MOUNT = Deno.build.os === "linux" && probeMount();

if (!CAN_MOUNT && !IN_CI) console.warn("ignored: tests need root to mount a tmpfs (run as root)");

/** `ignore` for a root-only test: ignored outside CI when it cannot mount. */
export function rootTest(): { ignore: boolean } {
  return { ignore: !IN_CI && !CAN_MOUNT };
}

/**
 * Runs `fn` with a fresh tmpfs of `size` (e.g. "64k") mounted on a temp
 * directory, and always unmounts it. Throws (fails the test) when it cannot.
 */
export async function withTmpfs(size: string, fn: (dir: string) => Promise<void>): Promise<void> {
  if (!CAN_MOUNT) throw new Error("cannot mount a tmpfs: tests need root; CI=true needs it");
  const dir = await Deno.makeTempDir({ prefix: "tmpfs-" });
  try {
    run("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
    try {
      await fn(dir);
    } finally {
      run("umount", [dir]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Makes a device node (`mknod path c|b major minor`); root only. */
export function mknod(path: string, type: "c" | "b", major: number, minor: number): void {
  run("mknod", [path, type, String(major), String(minor)]);
}

function run(cmd: string, args: string[]): void {
  const out = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).outputSync();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

function probeMount(): boolean {
  if (Deno.uid() !== 0) return false;
  const dir = Deno.makeTempDirSync({ prefix: "tmpfs-probe-" });
  try {
    run("mount", ["-t", "tmpfs", "-o", "size=4k", "tmpfs", dir]);
    run("umount", [dir]);
    return true;
  } catch {
    return false;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
