/** serve's /metrics, called without a socket: the snapshot, HELP, gzip, OpenMetrics, no re-render. */
import assert from "node:assert/strict";
import { HELP } from "../src/metrics/names.ts";
import { metricsBody } from "../src/serve/metrics_snapshot.ts";
import { promtoolProblems } from "./helpers/promtool.ts";
import { I1, I2, I3, ready } from "./helpers/serve_handler_fixture.ts";
import { result, target } from "./testdata/serve/fixtures.ts";

const OM_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75," +
  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

async function gunzip(res: Response): Promise<string> {
  return await new Response(res.body!.pipeThrough(new DecompressionStream("gzip"))).text();
}

/** The exposition without the `process_*` samples, which change on their own (CPU, memory). */
function withoutProcess(text: string): string {
  return text.replace(/^process_(cpu_seconds_total|resident_memory_bytes) .*\n/gm, "");
}

Deno.test("/metrics serves the snapshot with static HELP text and live self-metrics", async () => {
  const a = await ready();
  const res = await a.get("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.equal(Number(res.headers.get("content-length")), new TextEncoder().encode(text).length);
  assert.ok(
    text.includes(`# HELP compliance_percentage ${HELP.compliance_percentage}\n`),
    "HELP is the scan command's text, with no scan time in it",
  );
  assert.match(
    text,
    /compliance_percentage\{account_id="111111111111",account_name="prod <b>&amp;<\/b>",region="us-east-1"\} 66\.66/,
  );
  assert.match(
    text,
    /tag_missing_detail\{.*resource_arn="arn:aws:ec2:us-east-1:111111111111:instance\/i-2".*tag="owner"\} 1/,
  );
  assert.match(text, /aws_tag_exporter_scans_total\{result="success"\} 1/);
  assert.match(text, /aws_tag_exporter_api_requests_total\{api="GetResources"\} 3/);
  assert.doesNotMatch(text, /# HELP [^\n]*cached: from the scan/);
});

Deno.test("/metrics HELP lines do not change from one scan to the next", async () => {
  const a = await ready();
  const help = (text: string) => text.split("\n").filter((l) => l.startsWith("# HELP")).join("\n");
  const first = help(await (await a.get("/metrics")).text());
  a.clock.now += 3_600_000;
  a.scans.queue.push(
    result(
      [target("us-east-1", [I1, I2, I3]), target("eu-west-1", [])],
      "2030-01-01T01:00:00.000Z",
    ),
  );
  assert.equal(await a.refresher.refresh("test"), "success");
  const second = await (await a.get("/metrics")).text();
  assert.match(second, /aws_tag_exporter_last_scan_timestamp_seconds 1893459600\n/);
  assert.equal(help(second), first);
});

Deno.test("/metrics gzips when accepted, and the gzip body is the same text", async () => {
  const a = await ready();
  const plain = await (await a.get("/metrics")).text();
  const res = await a.get("/metrics", { headers: { "accept-encoding": "br, gzip;q=0.8" } });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.equal(res.headers.get("vary"), "Accept, Accept-Encoding");
  assert.equal(withoutProcess(await gunzip(res)), withoutProcess(plain));
  const refused = await a.get("/metrics", { headers: { "accept-encoding": "gzip;q=0, br" } });
  assert.equal(refused.headers.get("content-encoding"), null);
  await refused.body?.cancel();
});

Deno.test("/metrics negotiates OpenMetrics through Accept and ends with one # EOF", async () => {
  const a = await ready();
  const res = await a.get("/metrics", {
    headers: { accept: OM_ACCEPT, "accept-encoding": "gzip" },
  });
  assert.match(res.headers.get("content-type")!, /^application\/openmetrics-text; version=1\.0\.0/);
  const text = await gunzip(res);
  assert.ok(text.endsWith("\n# EOF\n"));
  assert.equal(text.match(/# EOF/g)!.length, 1);
  assert.doesNotMatch(text, /\n\n/, "OpenMetrics has no blank lines");
  assert.match(text, /# TYPE aws_tag_exporter_scans counter\naws_tag_exporter_scans_total/);
  const plain = await a.get("/metrics", {
    headers: { accept: "text/plain;version=0.0.4,*/*;q=0.1" },
  });
  assert.match(plain.headers.get("content-type")!, /^text\/plain/);
  await plain.body?.cancel();
});

Deno.test("an OpenMetrics scrape leaves the Prometheus text's counter names alone", async () => {
  const a = await ready();
  await a.refresher.refresh("test"); // queue empty: a failure, so every scans_total moves
  const before = await (await a.get("/metrics")).text();
  const om = await (await a.get("/metrics", { headers: { accept: OM_ACCEPT } })).text();
  assert.match(om, /# TYPE aws_tag_exporter_scans counter\naws_tag_exporter_scans_total/);
  const after = await (await a.get("/metrics")).text();
  for (
    const name of [
      "aws_tag_exporter_scans_total",
      "aws_tag_exporter_scans_skipped_total",
      "aws_tag_exporter_api_requests_total",
      "aws_tag_exporter_api_throttles_total",
    ]
  ) {
    assert.match(after, new RegExp(`^# TYPE ${name} counter$`, "m"), name);
  }
  assert.match(after, /^aws_tag_exporter_scans_total\{result="success"\} 1$/m);
  assert.match(after, /^aws_tag_exporter_scans_total\{result="failure"\} 1$/m);
  assert.doesNotMatch(
    after,
    /^aws_tag_exporter_(scans|scans_skipped|api_(requests|throttles|retries|errors))(\{| )/m,
  );
  assert.equal(
    withoutProcess(after),
    withoutProcess(before),
    "nothing changed between the scrapes but the format asked for",
  );
  assert.deepEqual(await promtoolProblems(after), []);
});

Deno.test("/metrics reuses the snapshot's buffers: nothing is re-rendered per scrape", async () => {
  const a = await ready();
  const snap = a.refresher.snapshot!;
  for (const gzip of [false, true]) {
    const one = metricsBody(snap, "prometheus", "", gzip).parts;
    const two = metricsBody(snap, "prometheus", "", gzip).parts;
    // Every part but the live tail is the very same cached array.
    one.slice(0, -1).forEach((p, i) => assert.equal(p, two[i]));
  }
});
