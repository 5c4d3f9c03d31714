/**
 * Reads the Kubernetes manifests under k8s/ as plain objects, one list of
 * documents per file, for the tests that check them (ship_manifests_test,
 * ship_schemas_test, ship_kustomize_test).
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

/** Every YAML file under `dir` with its documents. */
export async function loadManifests(dir = "k8s"): Promise<Map<string, Doc[]>> {
  const all = new Map<string, Doc[]>();
  for (const f of yamlFiles(dir)) all.set(f, await readDocs(f));
  return all;
}

/** `kind/name` of an object, e.g. `Deployment/aws-tag-exporter`. */
export function objectId(d: Doc): string {
  return `${d.kind}/${d.metadata?.name}`;
}
