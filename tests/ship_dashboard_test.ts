import assert from "node:assert/strict";
import { runDemoScan } from "./helpers/demo.ts";
import { EXPORTED, metricNames, recordedNames } from "./ship_promql.ts";
import { findPeer, peerTest, requirePeer } from "./helpers/peers.ts";

interface Target {
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { x: number; y: number; w: number; h: number };
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
  datasource?: { uid?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(await Deno.readTextFile("grafana/dashboard.json")) as Dashboard;
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = panels.filter((p) => p.type !== "row");
const variables = dashboard.templating.list;
const varQuery = (v: Variable) => typeof v.query === "string" ? v.query : v.query?.query ?? "";

Deno.test("the dashboard has a uid, a title and a templated Prometheus datasource", () => {
  assert.equal(dashboard.uid, "aws-tag-exporter");
  assert.ok(dashboard.title);
  const ds = variables.find((v) => v.name === "datasource");
  assert.equal(ds?.type, "datasource");
  assert.equal(ds?.query, "prometheus");
  for (const p of queryPanels) {
    assert.equal(p.datasource?.uid, "${datasource}", `panel ${p.title}`);
    for (const t of p.targets ?? []) {
      assert.equal(t.datasource?.uid ?? "${datasource}", "${datasource}", `panel ${p.title}`);
    }
  }
  for (const v of variables.filter((v) => v.type === "query")) {
    assert.equal(v.datasource?.uid, "${datasource}", `variable ${v.name}`);
  }
  // No datasource uid of someone's Grafana is baked in anywhere.
  const uids = new Set<string>();
  JSON.stringify(dashboard, (key, value) => {
    if (key === "datasource" && value && typeof value === "object") uids.add(value.uid);
    return value;
  });
  assert.deepEqual([...uids], ["${datasource}"]);
});

Deno.test("the dashboard has account and region variables used by the compliance panels", () => {
  for (const name of ["account", "region"]) {
    const v = variables.find((v) => v.name === name);
    assert.equal(v?.type, "query", name);
  }
  const filtered = queryPanels.filter((p) =>
    (p.targets ?? []).some((t) => t.expr.includes('account_name=~"$account"'))
  );
  assert.ok(filtered.length >= 8, `only ${filtered.length} panels filter by $account`);
});

Deno.test("the dashboard has the panels the product promises", () => {
  const titles = queryPanels.map((p) => p.title.toLowerCase());
  for (
    const want of [
      "fully compliant",
      "per account",
      "per tag",
      "per resource type",
      "worst resources",
      "targets",
      "scan duration",
      "throttles",
      "by reason",
      "prohibited",
      "never-tagged",
    ]
  ) {
    assert.ok(titles.some((t) => t.includes(want)), `no panel titled like ${JSON.stringify(want)}`);
  }
  const ids = panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, "panel ids are not unique");
});

Deno.test("every dashboard query reads only exported or recorded metric names", async () => {
  const known = new Set([...EXPORTED, ...await recordedNames()]);
  const queries = [
    ...queryPanels.flatMap((p) => (p.targets ?? []).map((t) => [p.title, t.expr])),
    ...variables.filter((v) => v.type === "query").map((v) => [
      `variable ${v.name}`,
      varQuery(v).replace(/^label_values\((.*),\s*\w+\)$/, "$1"),
    ]),
  ];
  assert.ok(queries.length > 20);
  for (const [where, expr] of queries) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `${where}: no metric in ${expr}`);
    for (const name of names) assert.ok(known.has(name), `${where}: unknown metric ${name}`);
  }
});

// ------------------------------------ every query against a real Prometheus

const prometheus = findPeer("prometheus", "apt-get install prometheus");

/** A demo scan: the bundled config, or another config on the same inventory. */
async function demoExposition(config?: string): Promise<string> {
  const run = await runDemoScan(config ? ["--config", config] : []);
  assert.equal(run.code, 0, run.stderr.join("\n"));
  return run.stdout;
}

/** Serves `body` as a scrape target on loopback until `signal` aborts. */
function exporterOf(body: string, signal: AbortSignal): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal, onListen: () => {} },
    () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }),
  );
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function query(base: string, expr: string): Promise<{ status: string; result: unknown[] }> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await res.json();
  return { status: body.status, result: body.data?.result ?? [] };
}

Deno.test({
  name: "every dashboard query runs on a real Prometheus scraping a demo scan, with data",
  ...peerTest(prometheus),
  async fn() {
    // The demo, and the demo with tag rules (for the tag rule panels) as a second instance.
    const ac = new AbortController();
    const exporters = [
      exporterOf(await demoExposition(), ac.signal),
      exporterOf(await demoExposition("examples/demo/rules.yaml"), ac.signal),
    ];
    const dir = await Deno.makeTempDir();
    const rules = `${Deno.cwd()}/prometheus/rules.yml`;
    await Deno.writeTextFile(
      `${dir}/prometheus.yml`,
      JSON.stringify({
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        rule_files: [rules],
        scrape_configs: [{
          job_name: "aws-tag-exporter",
          static_configs: [{ targets: exporters.map((e) => `127.0.0.1:${e.addr.port}`) }],
        }],
      }),
    );
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const prom = new Deno.Command(requirePeer(prometheus), {
      args: [
        `--config.file=${dir}/prometheus.yml`,
        `--storage.tsdb.path=${dir}/data`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      // Wait for two scrapes and a rule evaluation.
      const deadline = Date.now() + 30_000;
      while (true) {
        try {
          const r = await query(base, "fleet:resources_fully_compliant:percent");
          if (r.status === "success" && r.result.length > 0) break;
        } catch { /* not up yet */ }
        if (Date.now() > deadline) throw new Error("Prometheus did not scrape the demo in 30s");
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, 1500));

      const subst = (expr: string) =>
        expr.replaceAll("$account", ".*").replaceAll("$region", ".*")
          .replaceAll("$__rate_interval", "1m");
      // These read counters of live AWS calls or serve's scans, or what only Resource Explorer
      // (untagged_resources) and AWS tag policies (aws_tag_policy) give: the offline demo has none.
      const mayBeEmpty =
        /aws_tag_exporter_api_|aws_tag_exporter_scans_|untagged|aws_tag_policy_non_compliant/;
      for (const p of queryPanels) {
        for (const t of p.targets ?? []) {
          const r = await query(base, subst(t.expr));
          assert.equal(r.status, "success", `${p.title}: ${t.expr}: ${JSON.stringify(r)}`);
          if (!mayBeEmpty.test(t.expr)) {
            assert.ok(r.result.length > 0, `${p.title}: no data for ${t.expr}`);
          }
        }
      }
      for (const v of variables.filter((v) => v.type === "query")) {
        const m = /^label_values\((.*),\s*(\w+)\)$/.exec(varQuery(v));
        assert.ok(m, `variable ${v.name}`);
        const res = await fetch(
          `${base}/api/v1/label/${m[2]}/values?match[]=${encodeURIComponent(subst(m[1]))}`,
        );
        const values = (await res.json()).data as string[];
        assert.ok(values.length > 0, `variable ${v.name} has no values`);
      }
      const accounts = await (await fetch(`${base}/api/v1/label/account_name/values`)).json();
      assert.deepEqual(accounts.data, ["production", "staging"]);
    } finally {
      try {
        prom.kill("SIGTERM");
      } catch { /* exited */ }
      const out = await prom.output();
      ac.abort();
      await Promise.all(exporters.map((e) => e.finished));
      await Deno.remove(dir, { recursive: true });
      if (out.code !== 0 && out.signal !== "SIGTERM") {
        console.error(new TextDecoder().decode(out.stderr));
      }
    }
  },
});
