/**
 * Validates manifest objects against the Kubernetes API's OpenAPI schemas
 * (npm kubernetes-models) and the Prometheus Operator's CRD schemas (npm
 * @kubernetes-models/prometheus-operator). The models check types, required
 * fields, enums and formats (quantities, durations) only when `validate()` is
 * called; their schemas do not reject unknown fields, which the API server
 * does (kubectl's default strict field validation).
 *
 * A project of its own (this deno.json and deno.lock), so that these test-only
 * packages stay out of the product's lockfile, from which the container image
 * caches every package: with them it was 55 MB instead of 26.
 *
 *   deno run --frozen --config tests/k8s_schemas/deno.json tests/k8s_schemas/validate.ts
 *
 * reads `[{"where": ..., "obj": ...}, ...]` as JSON on stdin and writes one
 * error message (or null) per object as a JSON array on stdout.
 *
 * @module
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

// deno-lint-ignore no-explicit-any
type Model = new (data: any) => { validate(): void };

/** The model of each `apiVersion/kind` that k8s/ uses. */
const MODELS: Record<string, Model> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
};

/** The schema violation of `obj`, naming `where`, or null when it is valid. */
// deno-lint-ignore no-explicit-any
function problem(obj: any, where: string): string | null {
  const id = `${where}: ${obj?.kind}/${obj?.metadata?.name}`;
  const model = MODELS[`${obj?.apiVersion}/${obj?.kind}`];
  if (!model) return `${id}: no schema for apiVersion ${obj?.apiVersion} kind ${obj?.kind}`;
  try {
    new model(obj).validate();
    return null;
  } catch (e) {
    return `${id}: ${e instanceof Error ? e.message : e}`;
  }
}

const items = JSON.parse(await new Response(Deno.stdin.readable).text());
console.log(
  JSON.stringify(items.map((i: { obj: unknown; where: string }) => problem(i.obj, i.where))),
);
