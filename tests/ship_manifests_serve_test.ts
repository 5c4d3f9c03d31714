/** What the k8s workloads hand serve: a valid config mounted where --config points, valid flags. */
import assert from "node:assert/strict";
import { processIo } from "../src/cli/io.ts";
import { buildProgram } from "../src/cli/program.ts";
import { parseConfig } from "../src/config/parse.ts";
import { parseShard } from "../src/scan/shard.ts";
import { type Doc, generatedConfigMap } from "./helpers/manifests.ts";
import { CONFIG_DIR, containerOf, loadK8s } from "./helpers/ship_manifests_fixture.ts";

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

const { statefulset, workloads } = await loadK8s();

/** The exporter's config that common/'s configMapGenerator deploys. */
const CONFIG_FILE = "k8s/common/config.yaml";

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
