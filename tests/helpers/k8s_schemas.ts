/**
 * Validates manifest objects against the Kubernetes and Prometheus Operator
 * schemas, through tests/k8s_schemas/validate.ts: a Deno project of its own,
 * so its npm packages stay out of the product's lockfile (see there). One
 * `deno run` per call: pass every object of a test at once.
 */
import type { Doc } from "./manifests.ts";

const HERE = new URL("../k8s_schemas/", import.meta.url).pathname;

/** One schema violation message (naming `where`) or null per object, in order. */
export async function schemaProblems(
  items: readonly { obj: Doc; where: string }[],
): Promise<(string | null)[]> {
  const child = new Deno.Command(Deno.execPath(), {
    // Read access: re2-wasm (in the schemas) reads its .wasm file from the npm cache.
    args: ["run", "--frozen", "--allow-read", "--config", `${HERE}deno.json`, `${HERE}validate.ts`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { DENO_NO_UPDATE_CHECK: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(items)));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`tests/k8s_schemas/validate.ts failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/**
 * Throws a TypeError naming `where`, the object and the schema violation, or
 * that there is no schema for the object's apiVersion and kind.
 *
 * @example await validateManifest(parse(text), "k8s/deployment.yaml")
 */
export async function validateManifest(obj: Doc, where: string): Promise<void> {
  await validateManifests([{ obj, where }]);
}

/** Like `validateManifest`, for many objects in one run: throws for the first invalid one. */
export async function validateManifests(
  items: readonly { obj: Doc; where: string }[],
): Promise<void> {
  const problem = (await schemaProblems(items)).find((p) => p !== null);
  if (problem) throw new TypeError(problem);
}
