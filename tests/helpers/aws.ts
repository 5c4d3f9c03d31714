/**
 * Shared setup of the AWS source tests: configs pointed at a fake AWS,
 * deterministic inventories, expected counts computed independently of the
 * source, and a scan runner that always closes what it opens.
 */

import { createAwsSource } from "../../src/aws/aws_source.ts";
import type { AwsSourceOptions } from "../../src/aws/aws_source.ts";
import { parseConfig } from "../../src/config/parse.ts";
import type { Config } from "../../src/config/model.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import type { ApiCounts, ScanResult, TargetCounts } from "../../src/model.ts";
import { runScan } from "../../src/scan/runner.ts";
import { type ResourceSource, targetsOf } from "../../src/sources/source.ts";
import type { FakeResource, LazyResources, RegionInventory } from "../fake_aws/mod.ts";

export const REQUIRED_TAGS = ["environment", "owner"] as const;

/** Base credentials the tests put in the environment (the fake accepts any key). */
export const BASE_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAFAKEBASE0000",
  AWS_SECRET_ACCESS_KEY: "fake-base-secret-do-not-log",
};

/**
 * A resource of `account`/`region` number `i`, with a deterministic mix of
 * tags: every 3rd lacks `owner`, every 5th lacks `environment`, every 7th has
 * an empty owner; types alternate between instance, volume and a bucket.
 */
export function resourceAt(account: string, region: string, i: number): FakeResource {
  const id = i.toString().padStart(7, "0");
  const arn = i % 4 === 3
    ? `arn:aws:s3:::bucket-${account}-${region}-${id}`
    : i % 2 === 0
    ? `arn:aws:ec2:${region}:${account}:instance/i-${id}`
    : `arn:aws:ec2:${region}:${account}:volume/vol-${id}`;
  const tags = [{ Key: "Name", Value: `r${i}` }];
  if (i % 5 !== 0) tags.push({ Key: "environment", Value: "prod" });
  if (i % 3 !== 0) tags.push({ Key: "owner", Value: i % 7 === 0 ? "" : "team" });
  return { ResourceARN: arn, Tags: tags };
}

/** `count` resources generated on demand. */
export function lazyInventory(account: string, region: string, count: number): LazyResources {
  return { count, get: (i) => resourceAt(account, region, i) };
}

/** account -> region -> resource count, as a fake inventory. */
export function inventoryOf(
  sizes: Record<string, Record<string, number>>,
): Record<string, Record<string, RegionInventory>> {
  return Object.fromEntries(
    Object.entries(sizes).map(([account, regions]) => [
      account,
      Object.fromEntries(
        Object.entries(regions).map(([region, n]) => [region, lazyInventory(account, region, n)]),
      ),
    ]),
  );
}

/**
 * The counts a correct scan must produce for the first `n` resources of
 * `resourceAt`, worked out from the generator's own rules (every 4th from 3
 * is a bucket, other odd ones volumes, even ones instances; `environment`
 * unless i % 5 == 0; `owner`, possibly empty, unless i % 3 == 0), never by
 * the engine under test. `keepMissing` > 0 also lists the first non-compliant
 * resources, as the scan keeps them.
 */
export function expectedCounts(
  config: Config,
  account: string,
  region: string,
  n: number,
  keepMissing = 0,
): TargetCounts {
  if (config.requiredTags.join() !== REQUIRED_TAGS.join() || config.excludedResourceTypes.length) {
    throw new Error("expectedCounts() knows only REQUIRED_TAGS and no exclusions");
  }
  const types: Record<string, { total: number; fully: number; env: number; owner: number }> = {};
  const nonCompliant: { arn: string; resourceType: string; missing: string[] }[] = [];
  let env = 0, owner = 0, fully = 0, missingTotal = 0, kept = 0;
  for (let i = 0; i < n; i++) {
    const type = i % 4 === 3 ? "bucket" : i % 2 === 0 ? "instance" : "volume";
    const t = types[type] ??= { total: 0, fully: 0, env: 0, owner: 0 };
    const hasEnv = i % 5 !== 0;
    const hasOwner = i % 3 !== 0;
    t.total++;
    if (hasEnv) (env++, t.env++);
    if (hasOwner) (owner++, t.owner++);
    if (hasEnv && hasOwner) (fully++, t.fully++);
    const missing = [...(hasEnv ? [] : ["environment"]), ...(hasOwner ? [] : ["owner"])];
    missingTotal += missing.length;
    if (missing.length > 0 && kept + missing.length <= keepMissing) {
      kept += missing.length;
      const arn = resourceAt(account, region, i).ResourceARN;
      nonCompliant.push({ arn, resourceType: type, missing });
    }
  }
  return {
    scanned: n,
    excluded: 0,
    fullyCompliant: fully,
    tags: {
      environment: { compliant: env, nonCompliant: n - env },
      owner: { compliant: owner, nonCompliant: n - owner },
    },
    types: Object.fromEntries(
      Object.keys(types).sort().map((type) => {
        const t = types[type];
        return [type, {
          total: t.total,
          fullyCompliant: t.fully,
          tagCompliant: { environment: t.env, owner: t.owner },
        }];
      }),
    ),
    nonCompliantTotal: n - fully,
    missingTotal,
    nonCompliant,
  };
}

export interface ConfigSpec {
  accounts: Record<string, readonly string[]>;
  endpointUrl?: string | null;
  template?: string | null;
  extra?: string;
}

/** A parsed config for `accounts` (id -> regions), pointed at `endpointUrl`. */
export function makeConfig(spec: ConfigSpec): Config {
  return parseConfig(configYaml(spec), "test.yaml");
}

/** The YAML text of `makeConfig`, for the CLI tests. */
export function configYaml(spec: ConfigSpec): string {
  const lines = ["aws_account_matrix:"];
  for (const [id, regions] of Object.entries(spec.accounts)) {
    lines.push(`  - account_id: "${id}"`, `    account_name: "acct-${id.slice(0, 3)}"`);
    lines.push(`    regions: [${regions.map((r) => `"${r}"`).join(", ")}]`);
  }
  const template = spec.template === undefined ? "TagReader" : spec.template;
  if (template !== null) lines.push(`assume_role_name_template: "${template}"`);
  if (spec.endpointUrl) lines.push(`endpoint_url: "${spec.endpointUrl}"`);
  lines.push(`REQUIRED_TAGS: [${REQUIRED_TAGS.map((t) => `"${t}"`).join(", ")}]`);
  if (spec.extra) lines.push(spec.extra);
  return lines.join("\n") + "\n";
}

/** Sets environment variables for the duration of `fn`, then restores them. */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  const set = (k: string, v: string | undefined) =>
    v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  for (const [k, v] of Object.entries(vars)) set(k, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) set(k, v);
  }
}

/** Captured log lines and a JSON debug logger writing to them. */
export function captureLog(): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  return {
    lines,
    log: createLogger({ level: "debug", format: "json", write: (l) => lines.push(l) }),
  };
}

export interface ScanRun {
  result: ScanResult;
  api: Record<string, ApiCounts>;
  logs: string[];
}

/** Runs one scan through a fresh live source against base credentials in the env. */
export function scan(
  config: Config,
  opts: {
    concurrency?: number;
    keepMissing?: number;
    source?: AwsSourceOptions;
    env?: Record<string, string | undefined>;
  } = {},
): Promise<ScanRun> {
  const env = { ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined, ...opts.env };
  return withEnv(env, async () => {
    const { lines, log } = captureLog();
    const source = createAwsSource(config, log, opts.source);
    try {
      const result = await scanTargets(config, source, {
        concurrency: opts.concurrency ?? 8,
        keepMissing: opts.keepMissing ?? 0,
        log,
      });
      return { result, api: source.apiCounts(), logs: lines };
    } finally {
      source.close();
    }
  });
}

/** One scan of every account x region of `config` through `source`. */
export function scanTargets(
  config: Config,
  source: ResourceSource,
  opts: { concurrency: number; keepMissing: number; log?: Logger },
): Promise<ScanResult> {
  return runScan({ config, source, targets: targetsOf(config.accounts), ...opts });
}

/** Pages GetResources needs for `n` resources at 100 per page (an empty target needs one). */
export function pagesFor(n: number): number {
  return Math.max(1, Math.ceil(n / 100));
}
