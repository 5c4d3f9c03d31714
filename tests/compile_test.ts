import assert from "node:assert/strict";
import { parse } from "yaml";
import denoJson from "../deno.json" with { type: "json" };
import { VERSION } from "../src/version.ts";

/** The release targets: deno.json task name -> Rust target triple. */
const TARGETS: Record<string, string> = {
  "compile:linux-x64": "x86_64-unknown-linux-gnu",
  "compile:linux-arm64": "aarch64-unknown-linux-gnu",
  "compile:macos-x64": "x86_64-apple-darwin",
  "compile:macos-arm64": "aarch64-apple-darwin",
  "compile:windows-x64": "x86_64-pc-windows-msvc",
};

const tasks = denoJson.tasks as Record<string, string>;

/** Splits a task command into words; handles the '...' quoting deno.json uses. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/** The permission and unstable flags of a task command. */
function permissionFlags(command: string): string[] {
  return words(command).filter((w) => /^--(allow|deny|ignore)-|^--unstable-/.test(w));
}

/** Flag name -> the values it grants, or "all" for a bare flag; repeated flags merge. */
function permissionMap(flags: string[]): Map<string, Set<string> | "all"> {
  const out = new Map<string, Set<string> | "all">();
  for (const f of flags) {
    const eq = f.indexOf("=");
    const name = eq < 0 ? f : f.slice(0, eq);
    const prev = out.get(name);
    if (eq < 0 || prev === "all") {
      out.set(name, "all");
      continue;
    }
    const values = prev ?? new Set<string>();
    for (const v of f.slice(eq + 1).split(",")) values.add(v);
    out.set(name, values);
  }
  return out;
}

Deno.test("deno.json has a compile task per release target, with narrow baked-in permissions", () => {
  const union = permissionMap([
    ...permissionFlags(tasks.serve),
    ...permissionFlags(tasks.scan),
    ...permissionFlags(tasks.report),
  ]);
  for (const [name, triple] of Object.entries(TARGETS)) {
    const command = tasks[name];
    assert.ok(command, `deno.json has no task ${name}`);
    const w = words(command);
    assert.deepEqual(w.slice(0, 2), ["deno", "compile"], name);
    assert.equal(w.at(-1), "main.ts", name);
    assert.ok(w.includes("--frozen"), `${name}: --frozen`);
    assert.ok(w.includes("--unstable-cron"), `${name}: --unstable-cron (serve --schedule)`);
    assert.equal(w[w.indexOf("--target") + 1], triple, `${name}: --target`);
    const exe = triple.includes("windows") ? ".exe" : "";
    assert.equal(w[w.indexOf("--output") + 1], `dist/aws-tag-exporter-${triple}${exe}`, name);
    for (const bad of ["-A", "--allow-all", "--allow-run", "--allow-ffi"]) {
      assert.ok(!w.includes(bad), `${name}: ${bad}`);
    }
    // Every permission the runtime tasks grant, and nothing beyond them.
    const mine = permissionMap(permissionFlags(command).filter((f) => f !== "--unstable-cron"));
    for (const [flag, values] of union) {
      const have = mine.get(flag);
      assert.ok(have, `${name}: lacks ${flag}`);
      if (have !== "all") {
        assert.ok(values !== "all", `${name}: ${flag} must be unrestricted, as in scan`);
        for (const v of values) assert.ok(have.has(v), `${name}: ${flag} lacks ${v}`);
      }
    }
    for (const [flag, values] of mine) {
      const allowed = union.get(flag);
      assert.ok(allowed, `${name}: ${flag} is not in the serve/scan/report tasks`);
      if (allowed !== "all") {
        assert.ok(values !== "all", `${name}: bare ${flag} is broader than the tasks`);
        for (const v of values) {
          assert.ok(allowed.has(v), `${name}: ${flag}=${v} is not in the tasks`);
        }
      }
    }
  }
});

Deno.test("release.yml builds exactly the compile tasks of deno.json", async () => {
  const release = parse(await Deno.readTextFile(".github/workflows/release.yml"));
  const matrix = release.jobs.compile.strategy.matrix.include as Array<
    { task: string; target: string }
  >;
  assert.deepEqual(
    Object.fromEntries(matrix.map((m) => [m.task, m.target])),
    TARGETS,
  );
});

const HOST_TASK = Object.entries(TARGETS).find(([, triple]) => triple === Deno.build.target)?.[0];

/** Output of deno compile that means it could not fetch the denort runtime. */
const DENORT_UNREACHABLE = /denort|dl\.deno\.land|Setting up base binary/;
const PROBE_SECONDS = 20;
const OFFLINE_HINT = "set DENORT_BIN to a local denort to run it offline";

/**
 * Why `deno compile` cannot build a binary here, or null when it can. Decided
 * once at load, so the smoke test is registered as ignored instead of passing
 * without compiling. `deno compile` needs the denort runtime: DENORT_BIN, the
 * Deno cache, or dl.deno.land; compiling an empty script tries all three (and
 * caches the download for the real test). Any other failure is left for the
 * test itself to report.
 */
async function cannotCompile(): Promise<string | null> {
  if (!HOST_TASK) return `no release target for this host (${Deno.build.target})`;
  if (Deno.env.get("DENORT_BIN")) return null;
  const dir = await Deno.makeTempDir({ prefix: "compile-probe-" });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROBE_SECONDS * 1000);
  const timedOut = `deno compile did not get the denort runtime within ${PROBE_SECONDS} s`;
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, "");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["compile", "--no-config", "--output", `${dir}/probe`, `${dir}/probe.ts`],
      stdout: "null",
      stderr: "piped",
      signal: controller.signal,
    }).output();
    if (controller.signal.aborted) return `${timedOut}; ${OFFLINE_HINT}`;
    const stderr = new TextDecoder().decode(out.stderr);
    if (out.success || !DENORT_UNREACHABLE.test(stderr)) return null;
    const reason = stderr.split("\n").find((l) => /error sending request/.test(l))?.trim().replace(
      /^\d+: /,
      "",
    );
    return `deno compile could not download the denort runtime (${reason}); ${OFFLINE_HINT}`;
  } catch (err) {
    if (controller.signal.aborted) return `${timedOut}; ${OFFLINE_HINT}`;
    throw err;
  } finally {
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true });
  }
}

const SMOKE_TEST = "the compiled binary prints its version and scans the demo inventory";
const noCompile = await cannotCompile();
if (noCompile) {
  console.warn(`IGNORED: compile_test "${SMOKE_TEST}": ${noCompile}`);
}

Deno.test({
  name: SMOKE_TEST,
  ignore: noCompile !== null,
  async fn() {
    const command = tasks[HOST_TASK!];
    assert.ok(command, `deno.json has no task ${HOST_TASK}`);
    const dir = await Deno.makeTempDir();
    try {
      const bin = `${dir}/aws-tag-exporter`;
      const args = words(command).slice(1);
      args[args.indexOf("--output") + 1] = bin;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      let out: Deno.CommandOutput;
      try {
        out = await new Deno.Command(Deno.execPath(), {
          args,
          stdout: "piped",
          stderr: "piped",
          signal: controller.signal,
        }).output();
      } finally {
        clearTimeout(timer);
      }
      const stderr = new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `deno compile failed (code ${out.code}): ${stderr}`);

      const version = await new Deno.Command(bin, { args: ["--version"], stdout: "piped" })
        .output();
      assert.ok(version.success);
      // The binary reports its embedded runtime, which is this deno's version and target.
      assert.equal(
        new TextDecoder().decode(version.stdout).trim(),
        `aws-tag-exporter ${VERSION} (deno ${Deno.version.deno}, v8 ${Deno.version.v8}, ` +
          `${Deno.build.target})`,
      );

      // Run from another directory: the binary must not read files next to the source.
      const scan = await new Deno.Command(bin, {
        args: [
          "scan",
          "--quiet",
          "--config",
          `${Deno.cwd()}/examples/demo/config.yaml`,
          "--inventory",
          `${Deno.cwd()}/examples/demo/inventory`,
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(scan.stdout);
      assert.equal(scan.code, 0, new TextDecoder().decode(scan.stderr));
      assert.match(
        text,
        new RegExp(`^aws_tag_exporter_build_info\\{version="${VERSION}"\\} 1$`, "m"),
      );
      assert.match(
        text,
        /^compliance_percentage\{account_id="012345678901",account_name="staging",region="us-east-1"\} [\d.]+$/m,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
