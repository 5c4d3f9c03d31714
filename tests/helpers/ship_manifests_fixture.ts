/**
 * What the ship_manifests_*_test.ts files share: the serve contract that the
 * k8s workloads and the Dockerfile must match, the config directory they
 * mount, the raw k8s/ files as parsed, and CI's workflow.
 */
import { parse } from "yaml";
import { type Doc, loadManifests } from "./manifests.ts";

/** What `serve` serves (the serve contract). */
export const SERVE = { port: 8080, ready: "/ready", live: "/livez", metrics: "/metrics" };
export const CONFIG_DIR = "/etc/aws-tag-exporter";

export const containerOf = (w: Doc) => w.spec.template.spec.containers[0];

/** The raw files. ship_kustomize_test.ts checks what kustomize builds of them. */
export async function loadK8s() {
  const all = await loadManifests("k8s");
  const one = (file: string) => all.get(`k8s/${file}`)![0];
  const common = one("common/kustomization.yaml");
  const deployment = one("deployment.yaml");
  const statefulset = one("overlays/sharded/statefulset.yaml");
  const workloads = [deployment, statefulset];
  return { all, one, common, statefulset, workloads };
}

/** .github/workflows/ci.yml as a plain object. */
export async function loadCiWorkflow(): Promise<Doc> {
  return parse(await Deno.readTextFile(".github/workflows/ci.yml"));
}
