/**
 * The `org` benchmark's exactness check is only as good as its ground truth:
 * these tests hold the arithmetic of bench/org_truth.ts against a plain count
 * of the resources bench/org_fixture.ts generates (tag keys looked up by hand,
 * not by the engine), and show a wrong exposition is caught.
 */
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  accountId,
  accountName,
  REGIONS,
  REQUIRED_TAGS,
  resourceOf,
  targetSize,
  TYPES,
} from "../bench/org_fixture.ts";
import { residues, truthOf, verifyExposition } from "../bench/org_truth.ts";

/** Counts over the generated resources of target `t`, keyed like `truthOf`. */
function counted(t: number): Map<string, number> {
  const a = Math.floor(t / REGIONS.length);
  const n = targetSize(t);
  const out = new Map<string, number>();
  const inc = (k: string) => out.set(k, (out.get(k) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const r = resourceOf(a, t % REGIONS.length, i);
    const keys = new Set(r.Tags.map((tag) => tag.Key));
    const type = TYPES[i % 8][0];
    inc(`total{${type}}`);
    const missing = REQUIRED_TAGS.filter((tag) => !keys.has(tag));
    for (const tag of REQUIRED_TAGS) inc(keys.has(tag) ? `ok{${tag}}` : `detail{${tag}}`);
    if (missing.length === 0) {
      inc("resources_fully_compliant_total");
      inc(`resources_fully_compliant_by_type_total{${type}}`);
    }
  }
  return out;
}

Deno.test("residues() counts i < n with i % m == k", () => {
  for (const [n, m, k] of [[0, 7, 0], [1, 7, 0], [7, 7, 0], [8, 7, 0], [21, 4, 1], [5, 8, 6]]) {
    let want = 0;
    for (let i = 0; i < n; i++) if (i % m === k) want++;
    strictEqual(residues(n, m, k), want, `n=${n} m=${m} k=${k}`);
  }
});

Deno.test("truthOf() agrees with counting the generated resources of every target size", () => {
  // targetSize takes each of its 100 values within the first 100 targets.
  const sizes = new Set<number>();
  for (let t = 0; t < 100; t++) {
    sizes.add(targetSize(t));
    const n = targetSize(t);
    const want = truthOf(n);
    const got = counted(t);
    for (const tag of REQUIRED_TAGS) {
      strictEqual(want.get(`detail{${tag}}`), got.get(`detail{${tag}}`) ?? 0, `t=${t} ${tag}`);
      strictEqual(want.get(`tag_compliant_total{${tag}}`), got.get(`ok{${tag}}`) ?? 0);
    }
    strictEqual(
      want.get("resources_fully_compliant_total"),
      got.get("resources_fully_compliant_total"),
    );
    for (const [type] of TYPES) {
      const key = `resources_fully_compliant_by_type_total{${type}}`;
      strictEqual(want.get(key), got.get(key) ?? 0, `t=${t} ${key}`);
    }
  }
  strictEqual(sizes.size, 100);
});

Deno.test("verifyExposition() accepts the truth and names a target whose count is off", () => {
  // An exposition of account 0 region 0 only, written from the truth by hand.
  const n = targetSize(0);
  const base = `account_id="${accountId(0)}",account_name="${accountName(0)}",region="${
    REGIONS[0]
  }"`;
  const lines: string[] = [];
  for (const [key, value] of truthOf(n)) {
    const m = /^(\w+)(?:\{(.*)\})?$/.exec(key)!;
    const [family, sub] = [m[1], m[2]?.split(",") ?? []];
    const type = sub.length === 2 || family.includes("by_type") ? sub[0] : undefined;
    const tag = sub.length === 2 ? sub[1] : type === undefined ? sub[0] : undefined;
    const labels = base + (type ? `,resource_type="${type}"` : "") + (tag ? `,tag="${tag}"` : "");
    if (family === "detail") {
      for (let i = 0; i < value; i++) {
        lines.push(`tag_missing_detail{${labels},resource_arn="arn:${i}"} 1`);
      }
    } else lines.push(`${family}{${labels}} ${value}`);
  }
  const good = verifyExposition(lines.join("\n") + "\n");
  // Only the other 5,099 targets are reported missing.
  deepStrictEqual(
    good.mismatches.filter((m) => m.startsWith(`${accountId(0)}/${REGIONS[0]}:`)),
    [],
  );
  strictEqual(good.resources, n);
  const bad = verifyExposition(
    lines.map((l) => l.startsWith("resources_scanned_total") ? l.replace(/ \d+$/, " 1") : l)
      .join("\n"),
  );
  ok(!bad.exact);
  ok(bad.mismatches.some((m) => m.includes("resources_scanned_total = 1, want")));
});
