/**
 * The container without Docker: runs the Dockerfile's build-stage RUN lines
 * into a fresh DENO_DIR, then starts the image's CMD the way the runtime stage
 * does, as the nonroot user (65532), with no network (a new network
 * namespace) and a cache it cannot write. This proves the image's claim that
 * the runtime never fetches and needs no writable cache.
 *
 * @module
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { cp, readdir } from "node:fs/promises";
import { stripVTControlCharacters } from "node:util";
import denoJson from "../deno.json" with { type: "json" };
import { VERSION } from "../src/version.ts";
import { IN_CI } from "./helpers/peers.ts";

const NONROOT = "65532";

function which(name: string): string | undefined {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    try {
      if (Deno.statSync(`${dir}/${name}`).isFile) return `${dir}/${name}`;
    } catch { /* next */ }
  }
}
const unshare = which("unshare");
const setpriv = which("setpriv");
const why = Deno.uid() !== 0
  ? "not root (needs unshare -n and setpriv)"
  : !unshare || !setpriv
  ? "no unshare/setpriv (util-linux)"
  : null;
if (why && !IN_CI) console.warn(`ignored: ship_container_test: ${why}`);

interface Stage {
  env: Record<string, string>;
  runs: string[][];
  cmd: string[];
  entrypoint: string[];
}

/** The Dockerfile's stages: ENV, RUN (exec'd as words), ENTRYPOINT and CMD. */
function stages(dockerfile: string): Stage[] {
  const out: Stage[] = [];
  for (const raw of dockerfile.replace(/\\\n\s*/g, " ").split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [op, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ");
    if (op === "FROM") out.push({ env: {}, runs: [], cmd: [], entrypoint: [] });
    const stage = out.at(-1)!;
    if (op === "ENV") {
      for (const m of arg.matchAll(/(\w+)=(\S+)/g)) stage.env[m[1]] = m[2];
    }
    if (op === "RUN") stage.runs.push(arg.split(/\s+/));
    if (op === "CMD") stage.cmd = JSON.parse(arg);
    if (op === "ENTRYPOINT") stage.entrypoint = JSON.parse(arg);
  }
  return out;
}

async function run(
  argv: string[],
  opts: { cwd: string; env: Record<string, string>; confined: boolean },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const deno = Deno.execPath();
  const path = `${deno.slice(0, deno.lastIndexOf("/"))}:/usr/bin:/bin`;
  const env = [
    "env",
    "-i",
    `PATH=${path}`,
    ...Object.entries(opts.env).map(([k, v]) => `${k}=${v}`),
  ];
  const confine = opts.confined
    ? [unshare!, "-n", setpriv!, `--reuid=${NONROOT}`, `--regid=${NONROOT}`, "--clear-groups"]
    : [];
  const [cmd, ...args] = [...confine, ...env, ...argv.map((a) => a === "deno" ? deno : a)];
  const out = await new Deno.Command(cmd, { args, cwd: opts.cwd, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "the image's CMD runs offline, as nonroot, from the cache the build stage filled",
  // Root in CI (as .ci/run is); there a missing prerequisite fails the test.
  ignore: why !== null && !IN_CI,
  async fn() {
    if (why !== null) throw new Error(`cannot run the container test: ${why}`);
    const [build, runtime] = stages(await Deno.readTextFile("Dockerfile"));
    const root = await Deno.makeTempDir();
    try {
      await Deno.chmod(root, 0o755);
      const app = `${root}/app`;
      // What .dockerignore lets through, as the build stage COPYs it.
      for (const p of ["deno.json", "deno.lock", "main.ts", "src"]) {
        await cp(p, `${app}/${p}`, { recursive: true });
      }
      const denoDir = `${root}/deno-dir`;
      // Also trust the system CA store, for a registry proxy that re-signs TLS.
      const buildEnv = { ...build.env, DENO_DIR: denoDir, DENO_TLS_CA_STORE: "mozilla,system" };
      for (const argv of build.runs) {
        const r = await run(argv, { cwd: app, env: buildEnv, confined: false });
        assert.equal(r.code, 0, `RUN ${argv.join(" ")}: ${r.stderr}`);
      }
      // Only the program's packages: the test-only schema models have a lockfile of their own.
      for (const testOnly of ["kubernetes-models", "@kubernetes-models"]) {
        const where = `${denoDir}/npm/registry.npmjs.org/${testOnly}`;
        assert.equal(existsSync(where), false, `${where} is in the image`);
      }
      // Deno prefetches the packuments of deno.json's packages without waiting for them, so a slow
      // registry leaves some out of the cache (seen in CI). Running needs none of them (the lockfile
      // has what they would give), and the image must not try to fetch them: drop them all.
      const cached = await readdir(`${denoDir}/npm`, { recursive: true });
      for (const path of cached.filter((p) => p.endsWith("/registry.json"))) {
        await Deno.remove(`${denoDir}/npm/${path}`);
      }
      // The demo inventory, inside the serve task's --allow-read=. (the WORKDIR).
      await cp("examples/demo", `${app}/examples/demo`, { recursive: true });
      const env = { ...runtime.env, DENO_DIR: denoDir, HOME: "/home/nonroot" };
      assert.equal(runtime.entrypoint.at(-1), "/bin/deno");

      // 1. The image's CMD itself (deno task serve), up to loading every module.
      const cmd = ["deno", ...runtime.cmd, "--version"];
      const r1 = await run(cmd, { cwd: app, env, confined: true });
      assert.equal(r1.code, 0, r1.stderr);
      // deno task announces the command it runs ("Task serve deno run ..."); nothing else.
      const said = stripVTControlCharacters(r1.stderr).split("\n")
        .filter((l) => l && !l.startsWith("Task "));
      assert.deepEqual(said, [], `no fetch or warning, got: ${r1.stderr}`);
      // The second word is the version (the rest names the image's deno, not this one).
      const escaped = VERSION.replaceAll(".", "\\.");
      assert.match(
        r1.stdout.trim(),
        new RegExp(
          `^aws-tag-exporter ${escaped} \\(deno \\d+\\.\\d+\\.\\d+, v8 \\S+, \\S+-linux-gnu\\)$`,
        ),
      );

      // 2. A scan under exactly the serve task's permission flags.
      const task = denoJson.tasks.serve.replace("$HOME", env.HOME);
      const words = [...task.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
      assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
      assert.equal(words.at(-1), "serve");
      const scan = [
        ...words.slice(0, -1),
        "scan",
        "--quiet",
        "--config",
        "examples/demo/config.yaml",
        "--inventory",
        "examples/demo/inventory",
      ];
      const r2 = await run(scan, { cwd: app, env, confined: true });
      assert.equal(r2.code, 0, r2.stderr);
      assert.match(
        r2.stdout,
        new RegExp(`^aws_tag_exporter_build_info\\{version="${VERSION}"\\} 1$`, "m"),
      );
      assert.equal(
        r2.stderr,
        "",
        `no warnings (e.g. about an unwritable cache), got: ${r2.stderr}`,
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
