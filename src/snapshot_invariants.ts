import type { ScanResult, TargetCounts } from "./model.ts";

/** Fails with the JSON path of the bad value and what it must be. */
export type Fail = (path: string, what: string) => never;

/**
 * Checks what every snapshot a scan writes holds, beyond types: counts are
 * whole numbers >= 0, each resource is either fully compliant or not, each
 * tag either present or missing on every scanned resource, the types add up
 * to the scan, and durations are >= 0. A hand-edited snapshot with negative
 * counts or impossible totals would otherwise yield percentages below 0 or
 * above 100 and a gate that passes or fails on nonsense.
 *
 * @example
 * checkInvariants(parsed, (path, what) => { throw new ConfigError(`${path} must be ${what}`); });
 */
export function checkInvariants(result: ScanResult, fail: Fail): void {
  if (result.durationSeconds < 0) fail("durationSeconds", ">= 0");
  result.targets.forEach((t, i) => {
    const at = `targets[${i}]`;
    if (t.durationSeconds < 0) fail(`${at}.durationSeconds`, ">= 0");
    if (t.ok) checkCounts(t.counts, `${at}.counts`, fail);
  });
}

function checkCounts(c: TargetCounts, at: string, fail: Fail): void {
  const count = (path: string, n: number) => {
    if (!Number.isInteger(n) || n < 0) fail(path, `a whole number >= 0, got ${n}`);
  };
  const equal = (path: string, got: number, want: number, why: string) => {
    if (got !== want) fail(path, `${why} = ${want}, got ${got}`);
  };
  for (
    const key of ["scanned", "excluded", "fullyCompliant", "nonCompliantTotal", "missingTotal"]
  ) {
    count(`${at}.${key}`, c[key as keyof TargetCounts] as number);
  }
  equal(
    `${at}.scanned`,
    c.scanned,
    c.fullyCompliant + c.nonCompliantTotal,
    "fullyCompliant + nonCompliantTotal",
  );
  if (c.nonCompliant.length > c.nonCompliantTotal) {
    fail(`${at}.nonCompliant`, `at most nonCompliantTotal (${c.nonCompliantTotal}) entries`);
  }
  for (const [tag, tc] of Object.entries(c.tags)) {
    const p = `${at}.tags[${JSON.stringify(tag)}]`;
    count(`${p}.compliant`, tc.compliant);
    count(`${p}.nonCompliant`, tc.nonCompliant);
    equal(`${p}.compliant`, tc.compliant + tc.nonCompliant, c.scanned, "compliant + nonCompliant");
    if (c.fullyCompliant > tc.compliant) {
      fail(`${p}.compliant`, `at least fullyCompliant (${c.fullyCompliant}), got ${tc.compliant}`);
    }
  }
  let total = 0;
  let fully = 0;
  for (const [type, tc] of Object.entries(c.types)) {
    const p = `${at}.types[${JSON.stringify(type)}]`;
    count(`${p}.total`, tc.total);
    count(`${p}.fullyCompliant`, tc.fullyCompliant);
    if (tc.fullyCompliant > tc.total) fail(`${p}.fullyCompliant`, `at most total (${tc.total})`);
    for (const [tag, n] of Object.entries(tc.tagCompliant)) {
      count(`${p}.tagCompliant[${JSON.stringify(tag)}]`, n);
      if (n > tc.total) {
        fail(`${p}.tagCompliant[${JSON.stringify(tag)}]`, `at most total (${tc.total})`);
      }
    }
    total += tc.total;
    fully += tc.fullyCompliant;
  }
  equal(`${at}.types`, total, c.scanned, "totals that add up to scanned");
  equal(
    `${at}.types`,
    fully,
    c.fullyCompliant,
    "fullyCompliant counts that add up to fullyCompliant",
  );
}
