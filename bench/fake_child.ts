/**
 * A fake AWS in a process of its own, so the benchmarked exporter's wall time,
 * CPU and RSS are its own. Started by `FakeProcess` (fake_proc.ts):
 *
 *   deno run --allow-net --allow-read --allow-env bench/fake_child.ts '<FakeSpec JSON>'
 *
 * Prints `{"url": ...}`, then answers one JSON line per stdin command:
 * `stats`, `reset` (zero the counters, then stats) or `latency <ms>` (change
 * the added latency from now on, then stats). Exits at stdin EOF.
 *
 * @module
 */
import process from "node:process";
import { startFakeAws } from "../tests/fake_aws/mod.ts";
import type { RegionInventory } from "../tests/fake_aws/mod.ts";
import { inventoryOf } from "../tests/helpers/aws.ts";
import { neverTaggedIn } from "../tests/helpers/untagged.ts";
import type { FakeReport, FakeSpec } from "./fake_proc.ts";
import { orgInventory } from "./org_fixture.ts";

/** This process's CPU seconds so far, user + system. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Resource Explorer of a spec with `neverTaggedShare`: never = share of all resources. */
function explorerOf(spec: FakeSpec) {
  const share = spec.neverTaggedShare;
  if (share === undefined || spec.sizes === undefined) return undefined;
  const indexes: Record<string, Record<string, "AGGREGATOR" | "LOCAL">> = {};
  const neverTagged: Record<string, Record<string, ReturnType<typeof neverTaggedIn>>> = {};
  for (const [account, regions] of Object.entries(spec.sizes)) {
    Object.keys(regions).forEach((region, i) => {
      (indexes[account] ??= {})[region] = i === 0 ? "AGGREGATOR" : "LOCAL";
      const n = Math.round(regions[region] * share / (1 - share));
      (neverTagged[account] ??= {})[region] = neverTaggedIn(account, region, n);
    });
  }
  return { indexes, neverTagged };
}

async function main(spec: FakeSpec): Promise<void> {
  const inventory: Record<string, Record<string, RegionInventory>> = spec.sizes
    ? inventoryOf(spec.sizes)
    : orgInventory();
  const opts = {
    inventory,
    latencyMs: spec.latencyMs,
    rateLimitPerSecond: spec.rateLimitPerSecond,
    resourceExplorer: explorerOf(spec),
  };
  const fake = await startFakeAws(opts);
  const enc = new TextEncoder();
  const say = (o: unknown) => Deno.stdout.writeSync(enc.encode(JSON.stringify(o) + "\n"));
  say({ url: fake.url });
  let buf = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const [cmd, arg] = buf.slice(0, i).split(" ");
      buf = buf.slice(i + 1);
      if (cmd === "reset") fake.stats.reset();
      // The fake reads latencyMs on every request, so this applies at once.
      if (cmd === "latency") opts.latencyMs = Number(arg);
      const s = fake.stats;
      const report: FakeReport = {
        calls: s.calls,
        rateViolations: s.rateViolations,
        throttles: s.injected.throttles + s.injected.rateLimited,
        maxInFlight: s.maxInFlight,
        cpuSeconds: cpuSeconds(),
        explorer: {
          calls: s.resourceExplorer.calls,
          rateViolations: s.resourceExplorer.rateViolations,
        },
      };
      say(report);
    }
  }
  await fake.close();
}

if (import.meta.main) await main(JSON.parse(Deno.args[0]));
