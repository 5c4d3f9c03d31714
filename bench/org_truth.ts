/**
 * Exactness check of the `org` benchmark: every series each account-region
 * must show, worked out by arithmetic from the tag rules in `org_fixture.ts`
 * (never by running the engine), compared with the scan's exposition.
 *
 * @module
 */
import {
  accountId,
  accountName,
  ACCOUNTS,
  REGIONS,
  REQUIRED_TAGS,
  targetSize,
  TYPES,
} from "./org_fixture.ts";

/** How many i in [0, n) have i % m == k (0 <= k < m). */
export function residues(n: number, m: number, k: number): number {
  return n > k ? Math.floor((n - 1 - k) / m) + 1 : 0;
}

/** Families checked series by series (the rest are timings and build info). */
const CHECKED = new Set([
  "aws_tag_exporter_up",
  "aws_tag_exporter_resources_excluded",
  "resources_scanned_total",
  "resources_fully_compliant_total",
  "compliance_percentage",
  "tag_compliant_total",
  "tag_non_compliant_total",
  "tag_compliance_percentage",
  "resources_fully_compliant_by_type_total",
  "resources_fully_compliant_by_type_percentage",
  "tag_resource_type_compliance_percentage",
]);

/**
 * The series of a target of `n` resources, as `family{tag,type}` -> value;
 * `detail{tag}` is the number of `tag_missing_detail` series of the tag.
 */
export function truthOf(n: number): Map<string, number> {
  const missing: Record<string, number> = {
    environment: residues(n, 7, 0),
    owner: residues(n, 4, 1),
    cost_center: residues(n, 8, 6),
  };
  // Two tags missing: environment and owner (i % 28 == 21) or environment and
  // cost_center (i % 56 == 14); owner (odd i) and cost_center (even i) never.
  const two = residues(n, 28, 21) + residues(n, 56, 14);
  const fully = n - (missing.environment + missing.owner + missing.cost_center - two);
  const pct = (part: number, whole: number) => part / whole * 100;
  const out = new Map<string, number>([
    ["aws_tag_exporter_up", 1],
    ["aws_tag_exporter_resources_excluded", 0],
    ["resources_scanned_total", n],
    ["resources_fully_compliant_total", fully],
    ["compliance_percentage", pct(fully, n)],
  ]);
  for (const tag of REQUIRED_TAGS) {
    out.set(`tag_compliant_total{${tag}}`, n - missing[tag]);
    out.set(`tag_non_compliant_total{${tag}}`, missing[tag]);
    out.set(`tag_compliance_percentage{${tag}}`, pct(n - missing[tag], n));
    out.set(`detail{${tag}}`, missing[tag]);
  }
  TYPES.forEach(([type], k) => {
    const nk = residues(n, 8, k);
    if (nk === 0) return;
    // i = 8j + k lacks environment when (j + k) % 7 == 0; types 1 and 5
    // (i % 4 == 1) always lack owner, type 6 always lacks cost_center.
    const ok: Record<string, number> = {
      environment: nk - residues(nk, 7, (7 - (k % 7)) % 7),
      owner: k % 4 === 1 ? 0 : nk,
      cost_center: k === 6 ? 0 : nk,
    };
    const typeFully = k % 4 === 1 || k === 6 ? 0 : ok.environment;
    out.set(`resources_fully_compliant_by_type_total{${type}}`, typeFully);
    out.set(`resources_fully_compliant_by_type_percentage{${type}}`, pct(typeFully, nk));
    for (const tag of REQUIRED_TAGS) {
      out.set(`tag_resource_type_compliance_percentage{${type},${tag}}`, pct(ok[tag], nk));
    }
  });
  return out;
}

/** Result of `verifyExposition`. */
export interface Verdict {
  exact: boolean;
  /** The first few differences, for the log. */
  mismatches: string[];
  /** Series by metric family. */
  series: Record<string, number>;
  /** resources_scanned_total summed over targets. */
  resources: number;
  /** aws_tag_exporter_api_throttles_total summed over APIs: throttles the exporter saw. */
  throttles: number;
}

const LINE_RE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_RE = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses a Prometheus text exposition and checks every target against `truthOf`. */
export function verifyExposition(text: string): Verdict {
  const seen = new Map<string, { name: string; series: Map<string, number> }>();
  const series: Record<string, number> = {};
  let resources = 0;
  let throttles = 0;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = LINE_RE.exec(line);
    if (!m) throw new Error(`unparsable exposition line: ${line.slice(0, 120)}`);
    const [, family, labelText = "", value] = m;
    series[family] = (series[family] ?? 0) + 1;
    if (family === "aws_tag_exporter_api_throttles_total") throttles += Number(value);
    const isDetail = family === "tag_missing_detail";
    if (!isDetail && !CHECKED.has(family)) continue;
    const l: Record<string, string> = {};
    for (const [, k, v] of labelText.matchAll(LABEL_RE)) l[k] = v;
    const target = `${l.account_id}/${l.region}`;
    let o = seen.get(target);
    if (!o) seen.set(target, o = { name: l.account_name, series: new Map() });
    if (o.name !== l.account_name) o.name = `${o.name} and ${l.account_name}`;
    const sub = [l.resource_type, l.tag].filter((x) => x !== undefined).join(",");
    const key = isDetail ? `detail{${l.tag}}` : sub === "" ? family : `${family}{${sub}}`;
    const n = isDetail ? (o.series.get(key) ?? 0) + 1 : Number(value);
    if (!isDetail && o.series.has(key)) o.name += " (duplicate series)";
    o.series.set(key, n);
    if (family === "resources_scanned_total") resources += n;
  }
  const mismatches: string[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    REGIONS.forEach((region, r) => {
      const target = `${accountId(a)}/${region}`;
      const o = seen.get(target);
      seen.delete(target);
      if (!o) return void mismatches.push(`${target}: no series`);
      if (o.name !== accountName(a)) mismatches.push(`${target}: account_name ${o.name}`);
      const want = truthOf(targetSize(a * REGIONS.length + r));
      for (const [key, v] of want) {
        const got = o.series.get(key);
        if (got === undefined || Math.abs(got - v) > 1e-9 * Math.max(1, v)) {
          mismatches.push(`${target}: ${key} = ${got}, want ${v}`);
        }
      }
      for (const key of o.series.keys()) {
        if (!want.has(key)) mismatches.push(`${target}: unexpected ${key}`);
      }
    });
  }
  for (const target of seen.keys()) mismatches.push(`${target}: not in the organisation`);
  const exact = mismatches.length === 0;
  return { exact, mismatches: mismatches.slice(0, 5), series, resources, throttles };
}
