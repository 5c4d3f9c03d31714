/**
 * Where untagged coverage shows besides the metrics: /health, the status
 * page (JSON and HTML), every report format, and the JSON snapshot, which
 * `report --input` reads back. The targets are written out by hand; without
 * coverage nothing is added (the golden tests hold that byte for byte).
 */

import assert from "node:assert/strict";
import { summaryLine } from "../src/cli/summary.ts";
import { ConfigError } from "../src/errors.ts";
import type { TargetResult, UntaggedCoverage } from "../src/model.ts";
import { buildReport } from "../src/report/build.ts";
import { renderReport } from "../src/report/render.ts";
import { parseSnapshot, snapshotChunks } from "../src/snapshot.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

const I1 = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
const I2 = "arn:aws:ec2:eu-west-1:111111111111:instance/i-2";
const GAP = {
  code: "LocalIndex",
  message: "the Resource Explorer index in us-east-1 is LOCAL and sees only us-east-1 (make it …)",
};

function withCoverage(t: TargetResult, untagged: UntaggedCoverage): TargetResult {
  assert.ok(t.ok);
  return { ...t, untagged };
}

/** us-east-1 covered (2 never-tagged), eu-west-1 not (LOCAL index), ap-southeast-2 failed. */
function scanWithCoverage() {
  return result([
    withCoverage(target("us-east-1", [I1, I1.replace("i-1", "i-3")]), { up: true, added: 2 }),
    withCoverage(target("eu-west-1", [I2]), { up: false, error: GAP }),
    target("ap-southeast-2", [], { code: "AccessDenied", message: "no" }),
  ]);
}

Deno.test("/health lists the account-regions without untagged coverage, and stays 200 for them", async () => {
  const a = app();
  a.scans.queue.push(result([
    withCoverage(target("us-east-1", [I1]), { up: true, added: 1 }),
    withCoverage(target("eu-west-1", [I2]), { up: false, error: GAP }),
  ]));
  await a.refresher.refresh("test");
  const res = await a.get("/health");
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    status: "ok",
    failed_targets: [],
    untagged_coverage: { covered: 1, of: 2 },
    untagged_unavailable: [{
      account_id: "111111111111",
      account_name: "prod <b>&amp;</b>",
      region: "eu-west-1",
      error_code: GAP.code,
      error: GAP.message,
    }],
  });
});

Deno.test("the status page gives each target's coverage and the totals; HTML shows the reason", async () => {
  const a = app();
  a.scans.queue.push(scanWithCoverage());
  await a.refresher.refresh("test");
  const doc = await (await a.get("/")).json();
  assert.equal(doc.data.totals.resources_untagged, 2);
  assert.equal(doc.data.totals.untagged_covered_targets, 1);
  assert.deepEqual(doc.data.targets.map((t: { untagged?: unknown }) => t.untagged), [
    { up: true, added: 2, error_code: null, error: null },
    { up: false, added: null, error_code: GAP.code, error: GAP.message },
    undefined,
  ]);
  const html = await (await a.get("/", { headers: { accept: "text/html" } })).text();
  assert.match(
    html,
    /Never-tagged resources \(Resource Explorer\)<\/th><td>2 counted; coverage in 1 of 2 account-regions/,
  );
  assert.ok(html.includes("never-tagged not counted: LocalIndex: the Resource Explorer index"));
  const metrics = await (await a.get("/metrics")).text();
  assert.match(metrics, /\naws_tag_exporter_untagged_up\{[^}]*region="eu-west-1"\} 0\n/);
  assert.match(metrics, /\nresources_untagged\{[^}]*region="us-east-1"\} 2\n/);
  assert.doesNotMatch(metrics, /resources_untagged\{[^}]*region="(eu-west-1|ap-southeast-2)"/);
});

Deno.test("reports say how many account-regions have untagged coverage, and why the others do not", () => {
  const report = buildReport(scanWithCoverage(), 5);
  assert.deepEqual(report.untagged, {
    covered: 1,
    of: 2,
    added: 2,
    gaps: [{
      accountId: "111111111111",
      accountName: "prod <b>&amp;</b>",
      region: "eu-west-1",
      ...GAP,
    }],
  });
  const sentence = "Never-tagged resources (Resource Explorer): 2 counted, coverage in 1 of 2 " +
    "account-regions; 1 not covered, so their compliance may be overstated.";
  const table = renderReport(report, "table", { color: false });
  assert.ok(table.includes(sentence), table);
  assert.match(
    table,
    /Account-regions without never-tagged resources[^\n]*\n.*REASON\n.*eu-west-1\s+LocalIndex\s+the Resource Explorer index/,
  );
  const md = renderReport(report, "markdown", { color: false });
  assert.ok(md.includes("### Account-regions without never-tagged resources"));
  assert.ok(md.includes("| eu-west-1 | LocalIndex |"), md);
  const gh = renderReport(report, "github", { color: false });
  assert.match(
    gh,
    /^::warning title=Never-tagged resources not counted%3A prod .* eu-west-1::.*LocalIndex/m,
  );
  assert.match(
    gh,
    /^::notice title=Never-tagged resources::Never-tagged resources \(Resource Explorer\): 2 counted, coverage in 1 of 2/m,
  );
  assert.deepEqual(
    JSON.parse(renderReport(report, "json", { color: false })).untagged,
    report.untagged,
  );
});

Deno.test("reports without coverage have no untagged field or line", () => {
  const report = buildReport(result([target("us-east-1", [I1])]), 5);
  assert.equal("untagged" in report, false);
  for (const format of ["table", "markdown", "github", "json"] as const) {
    assert.doesNotMatch(renderReport(report, format, { color: false }), /never-tagged|untagged/i);
  }
});

Deno.test("the JSON snapshot keeps coverage through report --input; a bad one is one clear line", () => {
  const scan = scanWithCoverage();
  const text = [...snapshotChunks(scan)].join("");
  assert.deepEqual(parseSnapshot(text, "snap.json").targets, scan.targets);
  const plain = [...snapshotChunks(result([target("us-east-1", [I1])]))].join("");
  assert.doesNotMatch(plain, /untagged/);
  const bad = text.replace(
    '"untagged":{"up":true,"added":2}',
    '"untagged":{"up":true,"added":"2"}',
  );
  assert.notEqual(bad, text);
  assert.throws(() => parseSnapshot(bad, "snap.json"), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^snap\.json: targets\[0\]\.untagged\.added must be a number/);
    return true;
  });
});

Deno.test("the scan summary line adds the never-tagged count and the coverage, only when on", () => {
  assert.match(
    summaryLine(scanWithCoverage()),
    /; 1 of 3 targets FAILED; 2 never tagged, coverage in 1 of 2 targets$/,
  );
  assert.doesNotMatch(summaryLine(result([target("us-east-1", [I1])])), /never/);
});
