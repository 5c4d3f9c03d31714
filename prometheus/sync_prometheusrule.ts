/**
 * Writes k8s/common/prometheusrule.yaml from prometheus/rules.yml, so the Prometheus
 * Operator gets exactly the rules that promtool tests. tests/rules_test.ts
 * fails when the two differ.
 *
 * deno run --ignore-env --allow-read=prometheus --allow-write=k8s prometheus/sync_prometheusrule.ts
 *
 * @module
 */
import { parse, stringify } from "yaml";

const HEADER =
  `# Generated from prometheus/rules.yml by prometheus/sync_prometheusrule.ts; do not edit.
# The release label must match your Prometheus' ruleSelector (kube-prometheus-stack: the
# Helm release name).
`;

/** The PrometheusRule manifest that carries `rules` (a parsed rules.yml). */
export function prometheusRule(rules: { groups: unknown[] }): Record<string, unknown> {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "aws-tag-exporter",
      labels: {
        "app.kubernetes.io/name": "aws-tag-exporter",
        "app.kubernetes.io/component": "alerting",
        release: "kube-prometheus-stack",
      },
    },
    spec: { groups: rules.groups },
  };
}

if (import.meta.main) {
  const rules = parse(await Deno.readTextFile("prometheus/rules.yml"));
  await Deno.writeTextFile(
    "k8s/common/prometheusrule.yaml",
    HEADER + stringify(prometheusRule(rules), { lineWidth: 0 }),
  );
}
