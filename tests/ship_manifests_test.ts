/** The raw k8s/ manifests: kinds, kustomization membership, image, probes, pod security, IRSA. */
import assert from "node:assert/strict";
import { type Doc, generatorFiles, KUSTOMIZE_KINDS, resolvePath } from "./helpers/manifests.ts";
import { containerOf, loadK8s, SERVE } from "./helpers/ship_manifests_fixture.ts";

/** The image name the workloads use; kustomize's `images:` replaces it. */
const IMAGE_PLACEHOLDER = "aws-tag-exporter";

const { all, one, common, workloads } = await loadK8s();

Deno.test("every k8s manifest parses and has apiVersion, kind and metadata.name", () => {
  const kinds: Record<string, string[]> = {};
  for (const [file, list] of all) {
    for (const d of list) {
      if (KUSTOMIZE_KINDS.has(d.kind)) continue;
      assert.ok(d.apiVersion, `${file}: apiVersion`);
      assert.ok(d.metadata?.name, `${file}: metadata.name`);
      assert.equal(d.metadata.labels?.["app.kubernetes.io/name"], "aws-tag-exporter", file);
      (kinds[file] ??= []).push(d.kind);
    }
  }
  assert.deepEqual(kinds, {
    "k8s/common/prometheusrule.yaml": ["PrometheusRule"],
    "k8s/common/service.yaml": ["Service"],
    "k8s/common/serviceaccount.yaml": ["ServiceAccount"],
    "k8s/common/servicemonitor.yaml": ["ServiceMonitor"],
    "k8s/deployment.yaml": ["Deployment"],
    "k8s/overlays/sharded/statefulset.yaml": ["StatefulSet"],
  });
});

Deno.test("each manifest is a resource of exactly one kustomization, and what they list exists", () => {
  const listedBy = new Map<string, string[]>();
  const inputs: string[] = [];
  for (const [file, [k]] of all) {
    if (!file.endsWith("/kustomization.yaml")) continue;
    assert.ok(KUSTOMIZE_KINDS.has(k.kind), `${file}: kind ${k.kind}`);
    const dir = file.slice(0, file.lastIndexOf("/"));
    for (const r of [...(k.resources ?? []), ...(k.components ?? [])]) {
      const path = resolvePath(dir, r);
      const stat = Deno.statSync(path);
      if (stat.isFile) listedBy.set(path, [...(listedBy.get(path) ?? []), file]);
      else assert.ok(Deno.statSync(`${path}/kustomization.yaml`).isFile, `${file}: ${r}`);
    }
    inputs.push(...generatorFiles(file, k));
  }
  const manifests = [...all.keys()].filter((f) => !f.endsWith("/kustomization.yaml"));
  assert.deepEqual(
    Object.fromEntries(manifests.map((f) => [f, listedBy.get(f)?.length ?? 0])),
    Object.fromEntries(manifests.map((f) => [f, 1])),
  );
  // The configs are generator inputs, each read by one generator, never applied as manifests.
  assert.deepEqual(inputs.sort(), [
    "k8s/common/config.yaml",
    "k8s/components/organization/config.yaml",
  ]);
  for (const f of inputs) assert.ok(Deno.statSync(f).isFile, f);
});

Deno.test("workloads name the image that common/'s `images:` pins to a release tag", () => {
  for (const w of workloads) {
    for (const c of w.spec.template.spec.containers) {
      assert.equal(c.image, IMAGE_PLACEHOLDER, `${w.kind}: the registry and tag belong in images:`);
    }
  }
  assert.equal(common.kind, "Component");
  assert.deepEqual(common.images.map((i: Doc) => i.name), [IMAGE_PLACEHOLDER]);
  const [image] = common.images;
  assert.match(image.newName, /^[\w.\-/]+$/, "newName without a tag");
  assert.match(String(image.newTag), /^\d+\.\d+\.\d+$/, "a release tag, never latest");
});

Deno.test("probes and ports match what serve serves", () => {
  for (const w of workloads) {
    const c = containerOf(w);
    const http = c.ports.find((p: Doc) => p.name === "http");
    assert.equal(http?.containerPort, SERVE.port, w.kind);
    assert.equal(c.readinessProbe.httpGet.path, SERVE.ready, w.kind);
    assert.equal(c.livenessProbe.httpGet.path, SERVE.live, w.kind);
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      assert.ok(probe.httpGet.port === "http" || probe.httpGet.port === SERVE.port, w.kind);
    }
  }
  const service = one("common/service.yaml");
  const port = service.spec.ports.find((p: Doc) => p.name === "http");
  assert.equal(port.port, SERVE.port);
  assert.ok(port.targetPort === "http" || port.targetPort === SERVE.port);
  const annotations = service.metadata.annotations;
  assert.deepEqual(annotations, {
    "prometheus.io/scrape": "true",
    "prometheus.io/port": String(SERVE.port),
    "prometheus.io/path": SERVE.metrics,
  });
  const sm = one("common/servicemonitor.yaml");
  assert.deepEqual(sm.spec.endpoints.map((e: Doc) => [e.port, e.path]), [["http", SERVE.metrics]]);
  for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) {
    assert.equal(service.metadata.labels[k], v, "ServiceMonitor selects the Service");
  }
});

Deno.test("pods run as nonroot on a read-only root with no privileges", () => {
  for (const w of workloads) {
    const pod = w.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true, w.kind);
    assert.equal(pod.securityContext.runAsUser, 65532, w.kind);
    assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault", w.kind);
    const sc = containerOf(w).securityContext;
    assert.equal(sc.runAsNonRoot, true, w.kind);
    assert.equal(sc.readOnlyRootFilesystem, true, w.kind);
    assert.equal(sc.allowPrivilegeEscalation, false, w.kind);
    assert.deepEqual(sc.capabilities.drop, ["ALL"], w.kind);
    const c = containerOf(w);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory, w.kind);
    assert.ok(c.resources.limits.memory, w.kind);
    // Deno reads its dependency cache from the image; /tmp is writable scratch.
    assert.ok(c.env.some((e: Doc) => e.name === "DENO_DIR" && e.value === "/deno-dir"), w.kind);
    const tmp = c.volumeMounts.find((m: Doc) => m.mountPath === "/tmp");
    assert.ok(pod.volumes.find((v: Doc) => v.name === tmp?.name)?.emptyDir, w.kind);
    assert.equal(pod.serviceAccountName, one("common/serviceaccount.yaml").metadata.name, w.kind);
  }
});

Deno.test("the ServiceAccount carries an IRSA role annotation", () => {
  const arn = one("common/serviceaccount.yaml").metadata.annotations["eks.amazonaws.com/role-arn"];
  assert.match(arn, /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/);
});
