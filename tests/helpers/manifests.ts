/**
 * Reads the Kubernetes manifests under k8s/ as plain objects, one list of
 * documents per file, for the tests that check them (ship_manifests_test,
 * ship_schemas_test, ship_kustomize_test). The files a kustomization's
 * configMapGenerator reads (the exporter's config.yaml) are data, not
 * manifests: `generatorFiles` names them and `loadManifests` leaves them out.
 */
import { parseAllDocuments } from "yaml";

// deno-lint-ignore no-explicit-any
export type Doc = any;

/** The kinds of kustomize's own files (kustomization.yaml), which are not applied. */
export const KUSTOMIZE_KINDS = new Set(["Kustomization", "Component"]);

/** Every document of a YAML file; a parse error fails with the file's name. */
export async function readDocs(file: string): Promise<Doc[]> {
  const text = await Deno.readTextFile(file);
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new SyntaxError(`${file}: ${d.errors.join("; ")}`);
    return d.toJS();
  });
}

/** Paths of the YAML files under `dir`, sorted, e.g. `k8s/common/service.yaml`. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(e.name)) out.push(path);
  }
  return out.sort();
}

/** `dir/ref` with `.` and `..` resolved, e.g. `k8s/overlays/sharded` + `../../common`. */
export function resolvePath(dir: string, ref: string): string {
  return new URL(ref, `file:///${dir}/`).pathname.slice(1);
}

/**
 * The files that the configMapGenerator entries of the kustomization `file`
 * (parsed: `kustomization`) read, as paths from the repository root. An entry
 * is `path` or `key=path`.
 */
export function generatorFiles(file: string, kustomization: Doc): string[] {
  const dir = file.slice(0, file.lastIndexOf("/"));
  return (kustomization.configMapGenerator ?? []).flatMap((g: Doc) =>
    (g.files ?? []).map((f: string) => resolvePath(dir, f.slice(f.indexOf("=") + 1)))
  );
}

/** Every YAML file under `dir` with its documents, but the generators' inputs. */
export async function loadManifests(dir = "k8s"): Promise<Map<string, Doc[]>> {
  const all = new Map<string, Doc[]>();
  for (const f of yamlFiles(dir)) all.set(f, await readDocs(f));
  for (const [f, docs] of all) {
    if (f.endsWith("/kustomization.yaml")) {
      for (const input of generatorFiles(f, docs[0])) all.delete(input);
    }
  }
  return all;
}

/**
 * The ConfigMap that the `common` Component's configMapGenerator should make,
 * with the given config text (default: k8s/common/config.yaml), before
 * kustomize sets the namespace. ship_kustomize_test.ts checks that the real
 * kustomize builds exactly this.
 */
export async function generatedConfigMap(config?: string): Promise<Doc> {
  const file = "k8s/common/kustomization.yaml";
  const [common] = await readDocs(file);
  const [g] = common.configMapGenerator;
  const [input] = generatorFiles(file, common);
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: g.name, labels: g.options.labels },
    data: { "config.yaml": config ?? await Deno.readTextFile(input) },
  };
}

/** `kind/name` of an object, e.g. `Deployment/aws-tag-exporter`. */
export function objectId(d: Doc): string {
  return `${d.kind}/${d.metadata?.name}`;
}
