/**
 * `deno task bench`: every benchmark, each in its own process so peak RSS is
 * its own, with ratios side by side. Timings live here, never in tests.
 *
 *   deno task bench                # all
 *   deno task bench engine         # one suite: engine | aws | untagged | serve | org | config | discovery | inventory
 *   deno task bench org --runs=3   # flags after the suite go to its script
 *
 * `serve` also runs serve at organisation scale (org_serve.ts); `org` is the
 * exporter as shipped against a 300-account x 17-region fake (org_bench.ts).
 */
const only = Deno.args[0];
const here = new URL(".", import.meta.url).pathname;

async function run(script: string, args: string[], perms: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...perms, here + script, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${script} ${args.join(" ")} exited ${out.code}`);
  return new TextDecoder().decode(out.stdout);
}

if (!only || only === "engine") {
  console.log("## Engine: evaluate + render 1,000,000 synthetic resources (40% non-compliant)\n");
  // deno-lint-ignore no-explicit-any
  const rows: any[] = [];
  // Making the synthetic resources is not the engine's work: timed alone, then taken out.
  const made = JSON.parse(await run("engine_bench.ts", ["generate"], [])).seconds as number;
  for (const mode of ["off", "on", "prom-client", "rules-off", "rules-on"]) {
    rows.push(JSON.parse(await run("engine_bench.ts", [mode], ["--allow-read=/proc/self/status"])));
  }
  const byMode = (m: string) => rows.find((r) => r.mode === m);
  // deno-lint-ignore no-explicit-any
  const engine = (r: any) => Math.round(r.resources / (r.evaluateSeconds + r.renderSeconds - made));
  const on = byMode("on");
  console.log(
    "| mode | non-compliant | detail series | evaluate s | render s | resources/s | engine resources/s | peak RSS MiB | vs rule-less RSS | render vs streaming |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const label = {
      off: "detail off",
      on: "detail on (streaming writer)",
      "prom-client": "detail on (prom-client Gauge)",
      "rules-off": "rules, detail off",
      "rules-on": "rules, detail on (streaming writer)",
    }[r.mode as string];
    const plain = r.mode.startsWith("rules-") ? byMode(r.mode.slice("rules-".length)) : null;
    const rss = plain ? `${((r.peakRssMiB / plain.peakRssMiB - 1) * 100).toFixed(1)}%` : "-";
    const render = r.mode.endsWith("off")
      ? "-"
      : (r.renderSeconds / on.renderSeconds).toFixed(1) + "x";
    console.log(
      `| ${label} | ${r.nonCompliant.toLocaleString("en-US")} | ${r.detailSeries} | ` +
        `${r.evaluateSeconds.toFixed(2)} | ${r.renderSeconds.toFixed(2)} | ` +
        `${r.resourcesPerSecond.toLocaleString("en-US")} | ${
          engine(r).toLocaleString("en-US")
        } | ` +
        `${r.peakRssMiB} | ${rss} | ${render} |`,
    );
  }
  console.log(
    `\nEngine resources/s leaves out making the resources (${made.toFixed(2)} s, timed alone).\n`,
  );
}

// Suites that print their own markdown stream it as they go (org takes minutes).
const SUITES = [
  ["aws", "aws_bench.ts"],
  ["untagged", "untagged_bench.ts"],
  ["serve", "serve_bench.ts"],
  ["serve", "org_serve.ts"],
  ["org", "org_bench.ts"],
  ["discovery", "discovery_bench.ts"],
  ["inventory", "inventory_bench.ts"],
] as const;
const ALL = ["--allow-net", "--allow-read", "--allow-write", "--allow-env", "--allow-run"];
for (const [suite, script] of SUITES) {
  if (only && only !== suite) continue;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...ALL, "--allow-sys", here + script, ...Deno.args.slice(1)],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${script} exited ${out.code}`);
  console.log();
}

if (!only || only === "config") {
  console.log(await run("config_bench.ts", [], ["--ignore-env"]));
}
