/**
 * Real peers the tests talk to (promtool, prometheus, the Pushgateway,
 * openssl, ...). CI installs them (.ci/run), so under `CI=true` a missing peer
 * makes its test run and fail with the install hint; elsewhere the test is
 * reported as ignored, never as passed.
 */

/** True in CI (`CI=true`), where every peer must be present. */
export const IN_CI = Deno.env.get("CI") === "true";

/** A peer program: where it is, or null with the hint that installs it. */
export interface Peer {
  readonly name: string;
  readonly path: string | null;
  readonly hint: string;
}

/**
 * Finds `name`: an env var override (e.g. `PROMTOOL`), then `PATH`, then the
 * usual system directories. Prints one line when it is missing outside CI.
 *
 * @example
 * const promtool = findPeer("promtool", "apt-get install prometheus", "PROMTOOL");
 * Deno.test({ name: "...", ...peerTest(promtool) }, async () => { ... });
 */
export function findPeer(name: string, hint: string, envVar?: string): Peer {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  const candidates = [
    ...(envVar && Deno.env.get(envVar) ? [Deno.env.get(envVar)!] : []),
    ...[...dirs, "/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin", "/sbin"].map((d) =>
      `${d}/${name}`
    ),
  ];
  const path = candidates.find(isFile) ?? null;
  if (path === null && !IN_CI) console.warn(`ignored: tests need ${name} (${hint})`);
  return { name, path, hint };
}

/**
 * `ignore` for a test that needs `peers`: ignored outside CI when one is
 * missing; in CI it runs, and `requirePeer` fails it with the install hint.
 */
export function peerTest(...peers: Peer[]): { ignore: boolean } {
  return { ignore: !IN_CI && peers.some((p) => p.path === null) };
}

/** The peer's path, or a failure naming the peer and how to install it. */
export function requirePeer(peer: Peer): string {
  if (peer.path === null) {
    throw new Error(`${peer.name} is missing (${peer.hint}); CI=true needs every peer`);
  }
  return peer.path;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
