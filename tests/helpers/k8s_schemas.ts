/**
 * Validates manifest objects against the Kubernetes API's OpenAPI schemas
 * (npm kubernetes-models) and the Prometheus Operator's CRD schemas (npm
 * @kubernetes-models/prometheus-operator). The models check types, required
 * fields, enums and formats (quantities, durations) only when `validate()` is
 * called; their schemas do not reject unknown fields, which the API server
 * does (kubectl's default strict field validation).
 */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { Doc } from "./manifests.ts";

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

/**
 * Throws a TypeError naming `where`, the object and the schema violation, or
 * that there is no schema for the object's apiVersion and kind.
 *
 * @example validateManifest(parse(text), "k8s/deployment.yaml")
 */
export function validateManifest(obj: Doc, where: string): void {
  const id = `${where}: ${obj?.kind}/${obj?.metadata?.name}`;
  const model = MODELS[`${obj?.apiVersion}/${obj?.kind}`];
  if (!model) {
    throw new TypeError(`${id}: no schema for apiVersion ${obj?.apiVersion} kind ${obj?.kind}`);
  }
  try {
    new model(obj).validate();
  } catch (e) {
    throw new TypeError(`${id}: ${e instanceof Error ? e.message : e}`);
  }
}
