/** The OS signals `serve` listens to, by role. */
export interface ServeSignals {
  /** Each stops the server gracefully. */
  readonly stop: readonly Deno.Signal[];
  /** Starts a scan now; null where the OS has no spare signal. */
  readonly rescan: Deno.Signal | null;
}

/**
 * The signals to register on `os`. Deno on Windows supports only SIGINT and
 * SIGBREAK (Ctrl+C and Ctrl+Break) and throws for any other, so there both
 * stop the server and there is no rescan signal; elsewhere SIGTERM and SIGINT
 * stop it and SIGHUP scans now.
 *
 * Never SIGUSR1: the Deno runtime takes it as "start the V8 inspector" and
 * opens an unauthenticated debugger on 127.0.0.1:9229, in a process that
 * holds AWS credentials, whatever listener the program installs.
 *
 * @example
 * const { stop, rescan } = serveSignals(Deno.build.os);
 */
export function serveSignals(os: typeof Deno.build.os): ServeSignals {
  if (os === "windows") return { stop: ["SIGINT", "SIGBREAK"], rescan: null };
  return { stop: ["SIGTERM", "SIGINT"], rescan: "SIGHUP" };
}
