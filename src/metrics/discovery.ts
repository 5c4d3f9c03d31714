import { Gauge, type Registry, type RegistryContentType } from "prom-client";
import { accountsBySource, type DiscoveryReport } from "../discovery_report.ts";
import { HELP, M } from "./names.ts";

/** The discovery gauges of one registry. */
export interface DiscoveryGauges {
  readonly accounts: Gauge<"source">;
  /** Absent when the config has no `aws_organization` (`regions: all` alone). */
  readonly up?: Gauge;
  readonly duration?: Gauge;
}

/**
 * Registers `aws_tag_exporter_accounts{source}` and, with an organisation,
 * `aws_tag_exporter_discovery_up` and `..._discovery_duration_seconds`.
 * Only configs with `aws_organization` or `regions: all` have them, so other
 * expositions stay as they were.
 */
export function discoveryGauges(
  registry: Registry<RegistryContentType>,
  organization: boolean,
): DiscoveryGauges {
  const registers = [registry];
  const gauge = (name: string) => new Gauge({ name, help: HELP[name], registers });
  const accounts = new Gauge({
    name: M.accounts,
    help: HELP[M.accounts],
    labelNames: ["source"] as const,
    registers,
  });
  if (!organization) return { accounts };
  return { accounts, up: gauge(M.discoveryUp), duration: gauge(M.discoveryDuration) };
}

/** Sets the gauges from a plan's report. */
export function setDiscoveryGauges(g: DiscoveryGauges, report: DiscoveryReport): void {
  const counts = accountsBySource(report);
  g.accounts.set({ source: "organization" }, counts.organization);
  g.accounts.set({ source: "config" }, counts.config);
  if (report.organization) {
    g.up?.set(report.organization.ok ? 1 : 0);
    g.duration?.set(report.organization.durationSeconds);
  }
}
