/**
 * Counting TCP connections exactly: the `org` benchmark re-runs itself in a
 * network namespace of its own (`unshare -n`, where the machine allows it),
 * so the kernel's `TcpPassiveOpens` counter counts the connections the fake
 * AWS accepted and nothing else on the machine.
 *
 * Counting client sockets at the fake would undercount: Linux reuses a
 * loopback port still in TIME_WAIT (`net.ipv4.tcp_tw_reuse = 2`), so one
 * address:port can carry several connections in one scan.
 *
 * @module
 */

const MARK = "AWS_TAG_EXPORTER_BENCH_NETNS";

/** True when this process is the re-run inside its own namespace. */
export function inOwnNetns(): boolean {
  return Deno.env.get(MARK) === "1";
}

/**
 * Runs `deno run <denoArgs>` in a new network namespace with loopback up and
 * returns its exit code, or null when namespaces are not available (not
 * root, no `unshare`), in which case the caller goes on without one.
 */
export async function rerunInNetns(denoArgs: string[]): Promise<number | null> {
  const up = `ip link set lo up`;
  try {
    const probe = await new Deno.Command("unshare", {
      args: ["-n", "sh", "-c", up],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!probe.success) return null;
  } catch {
    return null;
  }
  const child = new Deno.Command("unshare", {
    args: ["-n", "sh", "-c", `${up} && exec "$0" "$@"`, Deno.execPath(), "run", ...denoArgs],
    env: { [MARK]: "1" },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  return (await child.output()).code;
}

/** Connections accepted in this namespace so far (`Tcp: PassiveOpens`), or null outside one. */
export async function passiveOpens(): Promise<number | null> {
  if (!inOwnNetns()) return null;
  // Deno reads /proc/net only with --allow-all; `cat` needs just --allow-run.
  const out = await new Deno.Command("cat", { args: ["/proc/net/snmp"] }).output();
  const tcp = new TextDecoder().decode(out.stdout).split("\n").filter((l) => l.startsWith("Tcp:"));
  const column = tcp[0].split(" ").indexOf("PassiveOpens");
  return Number(tcp[1].split(" ")[column]);
}
