/**
 * What the `org` benchmark measures against: the critical-path bound of a
 * scan (start-up, one AssumeRole, the longest target's pages, each at the
 * fake's measured round trip) and the floor of the fake on this machine (a
 * trivial client scanning the whole organisation).
 *
 * @module
 */
import process from "node:process";
import type { FakeProcess } from "./fake_proc.ts";
import { orgTotals } from "./org_fixture.ts";
import { rawScan, roundTrips } from "./raw_client.ts";
import { runExporter } from "./scan_proc.ts";

/**
 * Targets the trivial client scans at once. All 5,100 at once was about twice
 * as slow as 1,024 here (13.9 s against 7.1 s at zero latency, no listen
 * overflows): the single-threaded client juggling 5,100 sockets, not the fake.
 */
const FLOOR_CONCURRENCY = 1024;

/** The bound (s) by latency (ms), 100 and 0, and markdown that explains it and the floor. */
export async function boundsAndFloor(
  fake: FakeProcess,
  runs: number,
): Promise<{ bounds: Record<number, number>; text: string }> {
  const totals = orgTotals();
  const lines: string[] = [];
  let startup = Infinity;
  for (let k = 0; k < 3; k++) {
    startup = Math.min(startup, (await runExporter("scan", ["scan", "--help"])).wallSeconds);
  }
  const bounds: Record<number, number> = {};
  const floors: string[] = [];
  for (const latencyMs of [100, 0]) {
    await fake.command(`latency ${latencyMs}`);
    const rtt = await roundTrips(fake.url);
    bounds[latencyMs] = startup + (rtt.assumeMs + totals.maxPages * rtt.pageMs) / 1000;
    lines.push(
      `Bound at ${latencyMs} ms: start-up (\`main.ts scan --help\` with the scan task's flags) ` +
        `${startup.toFixed(2)} s + AssumeRole ${rtt.assumeMs.toFixed(1)} ms + ` +
        `${totals.maxPages} pages x ${rtt.pageMs.toFixed(1)} ms = ` +
        `**${bounds[latencyMs].toFixed(2)} s**.`,
    );
    let floor = { seconds: Infinity, fakeCpu: 0, clientCpu: 0, violations: 0 };
    for (let k = 0; k < runs; k++) {
      const before = await fake.command("reset");
      const cpu = process.cpuUsage();
      const raw = await rawScan(fake.url, FLOOR_CONCURRENCY);
      const { user, system } = process.cpuUsage(cpu);
      const after = await fake.command("stats");
      if (raw.resources !== totals.resources) throw new Error(`raw client saw ${raw.resources}`);
      const fakeCpu = after.cpuSeconds - before.cpuSeconds;
      if (raw.seconds < floor.seconds) {
        const clientCpu = (user + system) / 1e6;
        floor = { seconds: raw.seconds, fakeCpu, clientCpu, violations: after.rateViolations };
      }
    }
    floors.push(
      `${floor.seconds.toFixed(2)} s at ${latencyMs} ms (CPU: client ` +
        `${floor.clientCpu.toFixed(1)} s, fake ${floor.fakeCpu.toFixed(1)} s; ` +
        `${floor.violations} rate violations)`,
    );
  }
  lines.push(
    `\nFloor on this machine: a trivial client (hand-built requests over fetch, no SDK, ` +
      `${FLOOR_CONCURRENCY} targets at once, the same 14 calls/s pacing) scans the ` +
      `organisation in ${floors.join(" and ")}. The fake's CPU per scan is in the table too, ` +
      `well below each row's wall time: the fake is not what limits a row.\n`,
  );
  return { bounds, text: lines.join("\n") };
}
