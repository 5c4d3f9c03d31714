import assert from "node:assert/strict";
import { validateManifest, validateManifests } from "./helpers/k8s_schemas.ts";
import {
  type Doc,
  generatedConfigMap,
  KUSTOMIZE_KINDS,
  loadManifests,
} from "./helpers/manifests.ts";

// Every object of every file under k8s/, and the ConfigMap that common/'s
// configMapGenerator makes of config.yaml, against the Kubernetes and
// Prometheus Operator schemas. ship_kustomize_test.ts checks that kustomize
// generates exactly that ConfigMap, and validates everything it builds.
const all = await loadManifests("k8s");
const objects = [
  ...[...all].flatMap(([file, list]) =>
    list.filter((d) => !KUSTOMIZE_KINDS.has(d.kind)).map((d) => ({ file, d }))
  ),
  { file: "k8s/common/kustomization.yaml configMapGenerator", d: await generatedConfigMap() },
];
const byKind = (kind: string) => objects.find((o) => o.d.kind === kind)!.d;

Deno.test("every k8s manifest validates against its Kubernetes or Prometheus Operator schema", async () => {
  assert.deepEqual(objects.map((o) => o.d.kind).sort(), [
    "ConfigMap",
    "Deployment",
    "PrometheusRule",
    "Service",
    "ServiceAccount",
    "ServiceMonitor",
    "StatefulSet",
  ]);
  await validateManifests(objects.map(({ file, d }) => ({ obj: d, where: file })));
});

/** A broken copy of a real manifest and the schema message it must get. */
interface Broken {
  name: string;
  kind: string;
  edit: (d: Doc) => void;
  message: RegExp;
}

const container = (d: Doc) => d.spec.template.spec.containers[0];

const BROKEN: Broken[] = [
  {
    name: "replicas as a word",
    kind: "Deployment",
    edit: (d) => d.spec.replicas = "three",
    message: /\/spec\/replicas must be integer/,
  },
  {
    name: "a container port as a string",
    kind: "StatefulSet",
    edit: (d) => container(d).ports[0].containerPort = "8080",
    message: /\/containers\/0\/ports\/0\/containerPort must be integer/,
  },
  {
    name: "a probe period with a unit",
    kind: "Deployment",
    edit: (d) => container(d).readinessProbe.periodSeconds = "10s",
    message: /\/readinessProbe\/periodSeconds must be integer/,
  },
  {
    name: "a memory limit in MB, not a Kubernetes quantity",
    kind: "Deployment",
    edit: (d) => container(d).resources.limits.memory = "512MB",
    message: /\/resources\/limits\/memory must match format "quantity"/,
  },
  {
    name: "env as a map instead of a list",
    kind: "StatefulSet",
    edit: (d) => container(d).env = { DENO_DIR: "/deno-dir" },
    message: /\/containers\/0\/env must be array/,
  },
  {
    name: "a StatefulSet without a selector",
    kind: "StatefulSet",
    edit: (d) => delete d.spec.selector,
    message: /\/spec must have required property selector/,
  },
  {
    name: "a Service port as a string",
    kind: "Service",
    edit: (d) => d.spec.ports[0].port = "8080",
    message: /\/spec\/ports\/0\/port must be integer/,
  },
  {
    name: "a ConfigMap value that is not a string",
    kind: "ConfigMap",
    edit: (d) => d.data.refresh = 300,
    message: /\/data\/refresh must be string/,
  },
  {
    name: "a ServiceMonitor endpoint port as a number",
    kind: "ServiceMonitor",
    edit: (d) => d.spec.endpoints[0].port = 8080,
    message: /\/spec\/endpoints\/0\/port must be string/,
  },
  {
    name: "a ServiceMonitor interval that is no Prometheus duration",
    kind: "ServiceMonitor",
    edit: (d) => d.spec.endpoints[0].interval = "1 minute",
    message: /\/spec\/endpoints\/0\/interval must match pattern/,
  },
  {
    name: "a PrometheusRule alert with a `for` that is no duration",
    kind: "PrometheusRule",
    edit: (d) => d.spec.groups[1].rules[0].for = "6 hours",
    message: /\/spec\/groups\/1\/rules\/0\/for must match pattern/,
  },
  {
    name: "PrometheusRule groups as a map",
    kind: "PrometheusRule",
    edit: (d) => d.spec.groups = { compliance: d.spec.groups[1] },
    message: /\/spec\/groups must be array/,
  },
];

for (const row of BROKEN) {
  Deno.test(`schema validation rejects ${row.name}`, async () => {
    const d = structuredClone(byKind(row.kind));
    row.edit(d);
    await assert.rejects(() => validateManifest(d, "broken"), (e: Error) => {
      assert.ok(e instanceof TypeError);
      assert.ok(e.message.startsWith(`broken: ${row.kind}/${d.metadata.name}: `), e.message);
      assert.match(e.message, row.message);
      return true;
    });
  });
}

Deno.test("schema validation rejects a kind it has no schema for, and a wrong apiVersion", async () => {
  const deployment = byKind("Deployment");
  for (const d of [{ ...deployment, kind: "Deploymnt" }, { ...deployment, apiVersion: "v1" }]) {
    await assert.rejects(
      () => validateManifest(d, "x.yaml"),
      /^TypeError: x\.yaml: .*: no schema for/,
    );
  }
});
