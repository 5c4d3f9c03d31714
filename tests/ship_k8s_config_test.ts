/**
 * The Kubernetes config is checked where it is deployed. Every
 * `deno task validate|targets --config PATH` that the k8s docs and the
 * comments in k8s/ tell users to run names a file that a configMapGenerator
 * turns into the ConfigMap (ship_kustomize_test.ts checks the built ConfigMap
 * carries it byte for byte), and that file passes the exporter's parser and
 * the validate task under the task's own permissions. A command that named the
 * repository's root config.yaml would pass while the deployed config is broken.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../src/config/parse.ts";
import { generatorFiles, readDocs, yamlFiles } from "./helpers/manifests.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";

/** Where users are told how to check the Kubernetes config (deployment.md: its Kubernetes part). */
const SOURCES = ["k8s/README.md", "docs/deployment.md", ...yamlFiles("k8s")];
const SECTION: Record<string, string> = { "docs/deployment.md": "## Kubernetes\n" };

/** A source's text, or only its section that SECTION names (up to the next `## `). */
async function textOf(source: string): Promise<string> {
  const text = await Deno.readTextFile(source);
  const heading = SECTION[source];
  if (!heading) return text;
  const start = text.indexOf(heading);
  assert.ok(start >= 0, `${source}: no ${heading.trim()}`);
  const end = text.indexOf("\n## ", start + heading.length);
  return text.slice(start, end < 0 ? undefined : end);
}
const COMMAND = /deno task (validate|targets) --config ([\w./-]+)/g;
/** Elsewhere `--config config.yaml` is the root config; a k8s/ path there is checked too. */
const OTHER_DOCS = [
  "README.md",
  ...[...Deno.readDirSync("docs")].map((e) => `docs/${e.name}`).filter((f) => f.endsWith(".md")),
].filter((f) => !SOURCES.includes(f));
const K8S_COMMAND = /deno task (validate|targets) --config (k8s\/[\w./-]+)/g;

interface Documented {
  source: string;
  task: string;
  path: string;
}

const documented: Documented[] = [];
for (const [sources, pattern] of [[SOURCES, COMMAND], [OTHER_DOCS, K8S_COMMAND]] as const) {
  for (const source of sources) {
    for (const m of (await textOf(source)).matchAll(pattern)) {
      documented.push({ source, task: m[1], path: m[2] });
    }
  }
}

/** The files some kustomization under k8s/ generates a ConfigMap from. */
const deployed = new Set<string>();
for (const file of yamlFiles("k8s").filter((f) => f.endsWith("/kustomization.yaml"))) {
  for (const input of generatorFiles(file, (await readDocs(file))[0])) deployed.add(input);
}

Deno.test("the k8s docs and comments say to check the files the ConfigMap is generated from", () => {
  const pairs = new Set(documented.map((d) => `${d.task} ${d.path}`));
  for (
    const want of [
      "validate k8s/common/config.yaml",
      "validate k8s/components/organization/config.yaml",
      "targets k8s/components/organization/config.yaml",
    ]
  ) {
    assert.ok(pairs.has(want), `nowhere: deno task ${want.replace(" ", " --config ")}`);
  }
  for (
    const s of [
      "k8s/README.md",
      "docs/deployment.md",
      "docs/organizations.md",
      "k8s/common/kustomization.yaml",
      "k8s/common/config.yaml",
      "k8s/components/organization/kustomization.yaml",
      "k8s/components/organization/config.yaml",
    ]
  ) {
    assert.ok(documented.some((d) => d.source === s), `${s} names no check command`);
  }
  for (const { source, task, path } of documented) {
    assert.ok(deployed.has(path), `${source}: deno task ${task} --config ${path} is not deployed`);
  }
});

Deno.test("every config the k8s docs name exists and passes the exporter's parser", async () => {
  for (const path of new Set(documented.map((d) => d.path))) {
    const config = parseConfig(await Deno.readTextFile(path), path);
    assert.deepEqual(config.warnings, [], path);
  }
});

Deno.test("`deno task validate` accepts every documented config under the task's permissions", async () => {
  const flags = await taskFlags("validate");
  for (const path of new Set(documented.map((d) => d.path))) {
    const r = await runCli(flags, ["validate", "--config", path]);
    assert.equal(r.code, 0, `${path}: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, new RegExp(`^${path.replaceAll(".", "\\.")}: OK: `, "m"));
  }
});
