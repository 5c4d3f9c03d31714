import assert from "node:assert/strict";
import { parse } from "yaml";
import denoJson from "../deno.json" with { type: "json" };
import { processIo } from "../src/cli/io.ts";
import { buildProgram } from "../src/cli/program.ts";
import { parseConfig } from "../src/config/parse.ts";
import { parseShard } from "../src/scan/shard.ts";
import {
  type Doc,
  generatedConfigMap,
  generatorFiles,
  KUSTOMIZE_KINDS,
  loadManifests,
  resolvePath,
} from "./helpers/manifests.ts";

/** What `serve` serves (the serve contract). */
const SERVE = { port: 8080, ready: "/ready", live: "/livez", metrics: "/metrics" };
/** Flags `serve` accepts (the serve contract, plus the common ones and --shard). */
const SERVE_FLAGS = new Set([
  "--config",
  "--host",
  "--port",
  "--refresh-interval",
  "--schedule",
  "--web-config",
  "--shutdown-grace",
  "--shard",
  "--concurrency",
  "--log-level",
  "--log-format",
  "--quiet",
]);
const BOOLEAN_FLAGS = new Set(["--quiet"]);
const CONFIG_DIR = "/etc/aws-tag-exporter";
/** The image name the workloads use; kustomize's `images:` replaces it. */
const IMAGE_PLACEHOLDER = "aws-tag-exporter";

// The raw files. ship_kustomize_test.ts checks what kustomize builds of them.
const all = await loadManifests("k8s");
const one = (file: string) => all.get(`k8s/${file}`)![0];
const common = one("common/kustomization.yaml");
const deployment = one("deployment.yaml");
const statefulset = one("overlays/sharded/statefulset.yaml");
const workloads = [deployment, statefulset];
const containerOf = (w: Doc) => w.spec.template.spec.containers[0];
/** The exporter's config that common/'s configMapGenerator deploys. */
const CONFIG_FILE = "k8s/common/config.yaml";

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

Deno.test("the ConfigMap's config.yaml passes the exporter's own validation", async () => {
  const text = await Deno.readTextFile(CONFIG_FILE);
  const config = parseConfig(text, CONFIG_FILE);
  assert.ok(config.accounts.length > 0);
  assert.equal(config.refreshIntervalSeconds! % 60, 0, "refresh_interval is whole minutes");
});

Deno.test("the ConfigMap's commented tag rules example, uncommented, passes validation", async () => {
  const text = await Deno.readTextFile(CONFIG_FILE);
  const at = text.indexOf("# tag_rules:");
  assert.ok(at > 0, "no commented tag_rules example");
  const uncommented = text.slice(0, at) +
    text.slice(at).replace(/^# /gm, "").replace(/^#$/gm, "");
  const config = parseConfig(uncommented, `${CONFIG_FILE} (uncommented)`);
  assert.ok(config.rules, "the example sets tag rules");
  assert.deepEqual(config.rules.prohibitedTags, ["Owner"]);
  assert.deepEqual(config.rules.tagRules.map((r) => r.tag), [
    "environment",
    "owner",
    "cost_center",
  ]);
});

Deno.test("the workloads mount the ConfigMap where --config points", async () => {
  const cm = await generatedConfigMap();
  for (const w of workloads) {
    const c = containerOf(w);
    const args: string[] = c.args;
    const config = args[args.indexOf("--config") + 1];
    assert.equal(config, `${CONFIG_DIR}/config.yaml`, w.kind);
    const mount = c.volumeMounts.find((m: Doc) => m.mountPath === CONFIG_DIR);
    assert.equal(mount?.readOnly, true, w.kind);
    const volume = w.spec.template.spec.volumes.find((v: Doc) => v.name === mount.name);
    assert.equal(volume.configMap.name, cm.metadata.name, w.kind);
    assert.ok("config.yaml" in cm.data);
  }
});

function serveFlags(args: string[]): Array<[string, string | undefined]> {
  assert.deepEqual(args.slice(0, 2), ["task", "serve"], "args must run `deno task serve`");
  const out: Array<[string, string | undefined]> = [];
  for (let i = 2; i < args.length; i++) {
    const flag = args[i];
    assert.match(flag, /^--[a-z-]+$/, `unexpected argument ${flag}`);
    const value = BOOLEAN_FLAGS.has(flag) ? undefined : args[++i];
    out.push([flag, value]);
  }
  return out;
}

Deno.test("the workloads pass only flags that serve accepts", () => {
  const exit = { code: 0 };
  const serve = buildProgram(processIo(), exit).commands.find((c) => c.name() === "serve");
  const real = serve ? new Set(serve.options.map((o) => o.long)) : null;
  for (const w of workloads) {
    for (const [flag, value] of serveFlags(containerOf(w).args)) {
      assert.ok(SERVE_FLAGS.has(flag), `${w.kind}: ${flag} is not a serve flag`);
      if (real && flag !== "--shard") assert.ok(real.has(flag), `${w.kind}: serve lacks ${flag}`);
      if (flag === "--shutdown-grace" || flag === "--port") {
        assert.match(value ?? "", /^\d+$/, `${w.kind}: ${flag} ${value}`);
      }
    }
  }
  if (real?.has("--shard") === false) {
    console.warn("note: serve has no --shard yet; the sharded StatefulSet needs it");
  }
});

Deno.test("the StatefulSet derives --shard INDEX/COUNT from its ordinal, COUNT = replicas", () => {
  const c = containerOf(statefulset);
  const shard = new Map(serveFlags(c.args)).get("--shard");
  const m = /^\$\((\w+)\)\/(\d+)$/.exec(shard ?? "");
  assert.ok(m, `--shard ${shard} is not $(VAR)/COUNT`);
  assert.equal(Number(m[2]), statefulset.spec.replicas);
  const env = c.env.find((e: Doc) => e.name === m[1]);
  assert.equal(
    env?.valueFrom?.fieldRef?.fieldPath,
    "metadata.labels['apps.kubernetes.io/pod-index']",
  );
  for (let i = 0; i < statefulset.spec.replicas; i++) {
    assert.deepEqual({ ...parseShard(`${i}/${m[2]}`) }, { index: i, count: Number(m[2]) });
  }
  assert.deepEqual(
    statefulset.spec.selector.matchLabels,
    statefulset.spec.template.metadata.labels,
  );
});

// ------------------------------------------------------------------ Dockerfile

const dockerfile = await Deno.readTextFile("Dockerfile");
const instructions = dockerfile.replace(/\\\n\s*/g, " ").split("\n")
  .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), arg: rest.join(" ") };
  });
const froms = instructions.filter((i) => i.op === "FROM").map((i) => i.arg);
const runtime = instructions.slice(instructions.findLastIndex((i) => i.op === "FROM"));
const ci = parse(await Deno.readTextFile(".github/workflows/ci.yml"));
const ciDeno = ci.jobs.test.steps.find((s: Doc) => String(s.uses).startsWith("denoland/setup-deno"))
  .with["deno-version"];

Deno.test("Dockerfile: multi-stage, pinned to CI's Deno, distroless runtime", () => {
  assert.equal(froms.length, 2);
  assert.equal(froms[0], `denoland/deno:debian-${ciDeno} AS build`);
  assert.equal(froms[1], `denoland/deno:distroless-${ciDeno}`);
  assert.equal(ciDeno, Deno.version.deno, "CI and the Dockerfile pin the Deno this repo uses");
  const build = instructions.slice(0, instructions.findLastIndex((i) => i.op === "FROM"));
  const runs = build.filter((i) => i.op === "RUN").map((i) => i.arg);
  assert.ok(runs.includes("deno install --frozen"), runs.join(" | "));
  assert.ok(runs.includes("deno cache --frozen main.ts"), runs.join(" | "));
  for (const stage of [build, runtime]) {
    assert.ok(stage.some((i) => i.op === "ENV" && /DENO_DIR=\/deno-dir\b/.test(i.arg)));
  }
  assert.ok(runtime.some((i) => i.op === "COPY" && i.arg === "--from=build /deno-dir /deno-dir"));
  assert.ok(runtime.some((i) => i.op === "RUN") === false, "distroless has no shell to RUN");
});

Deno.test("Dockerfile: runs `deno task serve` as nonroot on port 8080 from /app", () => {
  const last = (op: string) => runtime.findLast((i) => i.op === op)?.arg;
  assert.match(last("USER") ?? "", /^(nonroot|65532)(:(nonroot|65532))?$/);
  assert.equal(last("WORKDIR"), "/app");
  assert.equal(last("EXPOSE"), String(SERVE.port));
  assert.deepEqual(JSON.parse(last("ENTRYPOINT")!), ["/tini", "--", "/bin/deno"]);
  assert.deepEqual(JSON.parse(last("CMD")!), ["task", "serve", "--config", "/app/config.yaml"]);
});

Deno.test("the serve task may read the config and IRSA paths the container uses", () => {
  const allowRead = (denoJson.tasks.serve.match(/--allow-read=(\S+)/)?.[1] ?? "").split(",");
  for (
    const path of [
      "/app",
      CONFIG_DIR,
      "/var/run/secrets/eks.amazonaws.com",
      "/var/run/secrets/pods.eks.amazonaws.com",
    ]
  ) {
    assert.ok(allowRead.includes(path), `serve's --allow-read lacks ${path}`);
  }
  assert.ok(!/(^|\s)(-A|--allow-all)(\s|$)/.test(denoJson.tasks.serve));
});

Deno.test(".dockerignore sends only what the image needs", async () => {
  const lines = (await Deno.readTextFile(".dockerignore")).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  assert.deepEqual(lines, ["*", "!deno.json", "!deno.lock", "!main.ts", "!src/"]);
  // main.ts imports nothing outside src/ and deno.json.
  const main = await Deno.readTextFile("main.ts");
  for (const m of main.matchAll(/from\s+"(\.[^"]+)"/g)) assert.match(m[1], /^\.\/src\//);
});

// ------------------------------------------------------------------- workflows

Deno.test("workflows pin every action to a version tag", async () => {
  for (
    const file of [
      ".github/workflows/ci.yml",
      ".github/workflows/release.yml",
      ".github/workflows/compliance.yml",
    ]
  ) {
    const wf = parse(await Deno.readTextFile(file));
    for (const [name, job] of Object.entries<Doc>(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.uses) continue;
        assert.match(step.uses, /^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/, `${file} ${name}`);
      }
    }
  }
});

Deno.test("ci.yml runs fmt, lint, check and the tests with Prometheus tools and coverage", () => {
  const runs = Object.values<Doc>(ci.jobs).flatMap((j) => j.steps.map((s: Doc) => s.run ?? ""))
    .join("\n");
  for (const want of ["deno fmt --check", "deno lint", "deno check", "deno coverage"]) {
    assert.ok(runs.includes(want), want);
  }
  assert.match(runs, /apt-get install .*prometheus prometheus-pushgateway/);
  assert.match(runs, /deno task test .*--coverage/);
});

Deno.test("release.yml publishes checksummed binaries, then the image to ghcr.io", async () => {
  const release = parse(await Deno.readTextFile(".github/workflows/release.yml"));
  // Full versions only (tests/workflow_release_test.ts): a pushed v1 must not release.
  assert.deepEqual(release.on.push.tags, ["v[0-9]+.[0-9]+.[0-9]+", "v[0-9]+.[0-9]+.[0-9]+-*"]);
  const uses = Object.values<Doc>(release.jobs).flatMap((j) => j.steps.map((s: Doc) => s.uses))
    .filter(Boolean).map((u: string) => u.split("@")[0]);
  for (const action of ["softprops/action-gh-release", "docker/build-push-action"]) {
    assert.ok(uses.includes(action), action);
  }
  assert.deepEqual(release.jobs.image.needs, "github-release");
  const text = JSON.stringify(release);
  assert.ok(text.includes("sha256sum"));
  assert.ok(text.includes("ghcr.io/"));
});
