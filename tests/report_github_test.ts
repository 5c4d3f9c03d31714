/**
 * `report --format github` on an estate too big for GitHub's per-step limit
 * of 10 annotations of each level: the annotations are aggregated and capped
 * with a final "and N more", and the job summary keeps every detail. The
 * estate is built so that every expected count is worked out by hand below.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { ANNOTATIONS_PER_LEVEL, renderGithub } from "../src/report/github.ts";
import { gatedReport } from "../src/report/gate.ts";
import { renderMarkdown } from "../src/report/markdown.ts";
import type { ResourceRecord } from "../src/model.ts";
import { failedTarget, okTarget, scanResult } from "./helpers/results.ts";

const TAGS = Array.from({ length: 12 }, (_, k) => `t${String(k).padStart(2, "0")}`);
const all = (except: string[] = []) =>
  Object.fromEntries(TAGS.filter((t) => !except.includes(t)).map((t) => [t, "x"]));
const ec2 = (account: string, region: string, id: string, tags: Record<string, string>) => ({
  arn: `arn:aws:ec2:${region}:${account}:instance/${id}`,
  tags,
});

/**
 * 40 accounts x 5 regions = 200 account-regions; the last region of the
 * first 20 accounts fails (20 failures, 180 scanned). Each scanned one has a
 * fully tagged instance and, for each tag k, an instance lacking only tag k;
 * the first 10 scanned ones (accounts 0 and 1) have one more lacking t00.
 */
function estate() {
  const regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1"];
  const targets = [];
  let scanned = 0;
  for (let a = 0; a < 40; a++) {
    const account = String(100000000000 + a);
    for (const region of regions) {
      if (a < 20 && region === "ap-south-1") {
        targets.push(failedTarget(account, region, "AccessDenied"));
        continue;
      }
      const resources: ResourceRecord[] = [ec2(account, region, "i-full", all())];
      for (const t of TAGS) resources.push(ec2(account, region, `i-no-${t}`, all([t])));
      if (scanned < 10) resources.push(ec2(account, region, "i-extra", all(["t00"])));
      targets.push(okTarget(account, region, resources, TAGS));
      scanned++;
    }
  }
  return scanResult(targets, TAGS);
}

/** Annotation lines by level, with titles and messages decoded enough to read. */
function parse(text: string) {
  const out = { error: [] as string[][], warning: [] as string[][], notice: [] as string[][] };
  for (const line of text.trimEnd().split("\n")) {
    const m = /^::(error|warning|notice) title=([^:]*)::(.*)$/.exec(line);
    ok(m, line);
    out[m[1] as keyof typeof out].push([decodeURIComponent(m[2]), m[3]]);
  }
  return out;
}

Deno.test("renderGithub() shows at most 10 annotations per level, then 'and N more'", () => {
  const report = gatedReport(estate(), 10, { failUnder: 90, failUnderTag: [], tolerance: 0 });
  const got = parse(renderGithub(report));
  strictEqual(ANNOTATIONS_PER_LEVEL, 10);
  // Errors: 1 broken check + 20 failed account-regions = 21 -> 9 shown + 1 "12 more".
  strictEqual(got.error.length, 10);
  strictEqual(got.error[0][0], "Tag compliance gate");
  ok(got.error[0][1].startsWith("overall compliance 7.65%25 is below --fail-under 90%25"));
  deepStrictEqual(
    got.error.slice(1, 9).map((e) => e[0]),
    Array.from({ length: 8 }, (_, a) => `Scan failed: acct ${100000000000 + a} ap-south-1`),
  );
  ok(got.error[1][1].startsWith(`"acct" 100000000000 "ap-south-1" was not scanned: AccessDenied`));
  deepStrictEqual(got.error[9], [
    "Tag compliance: 12 more",
    "... and 12 more (12 failed account-regions): see the job summary and the report artefact",
  ]);
  // Warnings: one per tag, 12 > 10 -> 9 shown + 1 "3 more"; t00 (190 missing) first, then
  // t01..t08 (180 each) in REQUIRED_TAGS order.
  strictEqual(got.warning.length, 10);
  deepStrictEqual(
    got.warning.slice(0, 9).map((w) => w[0]),
    ["t00", "t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08"].map((t) => `Missing tag: ${t}`),
  );
  // Resources: 180 x 13 + 10 extra = 2350; t00 is missing from 180 + 10 = 190 in all 180
  // scanned account-regions, most (2 each) in the first ten.
  ok(
    got.warning[0][1].startsWith(
      `190 of 2350 resources lack tag "t00", in 180 of 180 account-regions; most in ` +
        `"acct" 100000000000 "us-east-1" (2), "acct" 100000000000 "us-west-2" (2), ` +
        `"acct" 100000000000 "eu-west-1" (2); e.g. `,
    ),
    got.warning[0][1],
  );
  ok(got.warning[1][1].startsWith(`180 of 2350 resources lack tag "t01", in 180 of 180 `));
  deepStrictEqual(got.warning[9], [
    "Tag compliance: 3 more",
    "... and 3 more (3 tags): see the job summary and the report artefact",
  ]);
  // 180 x 1 fully compliant of 2350 = 7.66%, shown to one decimal.
  deepStrictEqual(got.notice, [[
    "Tag compliance",
    "7.7%25 fully compliant (180 of 2350 resources; 20 of 200 account-regions failed)",
  ]]);
});

Deno.test("the job summary lists every failed account-region the annotations leave out", () => {
  const report = gatedReport(estate(), 10, { failUnderTag: [], tolerance: 0 });
  const md = renderMarkdown(report);
  for (let a = 0; a < 20; a++) {
    ok(md.includes(`| acct | ${100000000000 + a} | ap-south-1 | AccessDenied |`), String(a));
  }
  for (const t of TAGS) ok(md.includes(`| ${t} |`), t);
});

Deno.test("renderGithub() gives one error per tag with new violations, with counts", () => {
  const tags = ["env", "owner"];
  const tagged = { env: "p", owner: "o" };
  const before = (account: string, region: string) =>
    okTarget(account, region, ["a", "b", "c"].map((id) => ec2(account, region, id, tagged)), tags);
  const baseline = scanResult([
    before("111111111111", "us-east-1"),
    before("222222222222", "eu-west-1"),
  ], tags);
  const now = scanResult([
    okTarget("111111111111", "us-east-1", [
      ec2("111111111111", "us-east-1", "a", { owner: "o" }),
      ec2("111111111111", "us-east-1", "b", {}),
      ec2("111111111111", "us-east-1", "c", tagged),
    ], tags),
    okTarget("222222222222", "eu-west-1", [
      ec2("222222222222", "eu-west-1", "a", { owner: "o" }),
      ec2("222222222222", "eu-west-1", "b", tagged),
      ec2("222222222222", "eu-west-1", "c", tagged),
    ], tags),
  ], tags);
  const report = gatedReport(now, 10, { failUnderTag: [], tolerance: 0, baseline });
  const got = parse(renderGithub(report));
  const news = got.error.filter((e) => e[0].startsWith("New violations: "));
  // env: a and b in 111111111111, a in 222222222222; owner: b in 111111111111.
  deepStrictEqual(news.map((e) => e[0]), ["New violations: env", "New violations: owner"]);
  ok(
    news[0][1].startsWith(`3 resources newly lack tag "env" since the baseline, in 2 `),
    news[0][1],
  );
  ok(news[1][1].startsWith(`1 resource newly lacks tag "owner" since the baseline, in 1 `));
  ok(
    news[1][1].endsWith(
      `e.g. "arn:aws:ec2:us-east-1:111111111111:instance/b" ("acct" 111111111111 "us-east-1")`,
    ),
  );
});
