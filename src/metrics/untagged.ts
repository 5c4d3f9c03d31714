import { Gauge, type Registry, type RegistryContentType } from "prom-client";
import { type ScanResult, targetLabels } from "../model.ts";
import { HELP, M, TARGET_LABELS } from "./names.ts";

/**
 * Adds the `untagged_resources` families to a scan's registry:
 * `resources_untagged` (never-tagged resources counted, for targets where
 * Resource Explorer answered) and `aws_tag_exporter_untagged_up` (1 or 0 for
 * every scanned target). Nothing is registered when no target carries
 * coverage (the feature is off), so the exposition stays as it was.
 */
export function addUntaggedFamilies(
  registry: Registry<RegistryContentType>,
  result: ScanResult,
  helpSuffix = "",
): void {
  const covered = result.targets.filter((t) => t.ok && t.untagged !== undefined);
  if (covered.length === 0) return;
  const gauge = (name: string) =>
    new Gauge({
      name,
      help: HELP[name] + helpSuffix,
      labelNames: [...TARGET_LABELS],
      registers: [registry],
    });
  const added = gauge(M.resourcesUntagged);
  const up = gauge(M.untaggedUp);
  for (const t of covered) {
    if (!t.ok || t.untagged === undefined) continue;
    const labels = { ...targetLabels(t) };
    up.set(labels, t.untagged.up ? 1 : 0);
    if (t.untagged.up) added.set(labels, t.untagged.added);
  }
}
