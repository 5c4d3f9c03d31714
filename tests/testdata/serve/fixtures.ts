/**
 * Shared fixtures of the serve tests: small scan results written out by
 * hand, a controllable scan function, and a handler wired like `runServe`.
 */
import { parseConfig } from "../../../src/config/parse.ts";
import type { ConstLabels } from "../../../src/metrics/const_labels.ts";
import type { Config } from "../../../src/config/model.ts";
import {
  type ApiCounts,
  type ScanResult,
  SNAPSHOT_SCHEMA,
  type TargetResult,
} from "../../../src/model.ts";
import { BasicAuth } from "../../../src/serve/basic_auth.ts";
import { createHandler, type ReloadResult } from "../../../src/serve/handler.ts";
import { Refresher, type ScanFunction } from "../../../src/serve/refresher.ts";
import { intervalSchedule } from "../../../src/serve/schedule.ts";
import { SelfMetrics } from "../../../src/serve/self_metrics.ts";

export const CONFIG_TEXT = `
aws_account_matrix:
  - account_id: "111111111111"
    account_name: "prod <b>&amp;</b>"
    regions: ["us-east-1", "eu-west-1"]
aws_account_overrides:
  "111111111111":
    role_arn: "arn:aws:iam::111111111111:role/Reader"
    external_id: "very-secret-external-id"
endpoint_url: "http://user:hunter2@127.0.0.1:4566/?token=abc"
REQUIRED_TAGS: [owner, env]
`;

export const config: Config = parseConfig(CONFIG_TEXT, "serve-test.yaml");

/**
 * A target result of EC2 instances `arns`, written out by hand (not by the
 * engine): even-indexed instances carry both required tags, odd ones none.
 */
export function target(
  region: string,
  arns: string[],
  error: { code: string; message: string } | null = null,
): TargetResult {
  const base = { accountId: "111111111111", accountName: "prod <b>&amp;</b>", region };
  if (error) return { ...base, ok: false, error, durationSeconds: 0.5, counts: null };
  if (!arns.every((arn) => arn.includes(":instance/"))) throw new Error("instances only");
  const tagged = Math.ceil(arns.length / 2);
  const untagged = arns.length - tagged;
  const tags = { compliant: tagged, nonCompliant: untagged };
  return {
    ...base,
    ok: true,
    error: null,
    durationSeconds: 0.5,
    counts: {
      scanned: arns.length,
      excluded: 0,
      fullyCompliant: tagged,
      tags: { owner: tags, env: tags },
      types: arns.length === 0 ? {} : {
        instance: {
          total: arns.length,
          fullyCompliant: tagged,
          tagCompliant: { owner: tagged, env: tagged },
        },
      },
      nonCompliantTotal: untagged,
      missingTotal: 2 * untagged,
      nonCompliant: arns.filter((_, i) => i % 2 === 1).map((arn) => ({
        arn,
        resourceType: "instance",
        missing: ["owner", "env"],
      })),
    },
  };
}

/** A scan result of the given targets, finished at `finishedAt`. */
export function result(
  targets: TargetResult[],
  finishedAt = "2030-01-01T00:00:00.000Z",
): ScanResult {
  return {
    schema: SNAPSHOT_SCHEMA,
    toolVersion: "test",
    startedAt: finishedAt,
    finishedAt,
    durationSeconds: 1,
    requiredTags: config.requiredTags,
    targets,
    api: { GetResources: { requests: 3, throttles: 1, retries: 1, errors: 0 } },
  };
}

/** A scan function that returns queued results, or waits until `release` when asked to. */
export class ScriptedScans {
  readonly queue: (ScanResult | Error | "block")[] = [];
  calls = 0;
  #release = Promise.withResolvers<void>();
  readonly scan: ScanFunction = async (signal) => {
    this.calls++;
    const next = this.queue.shift() ?? new Error("no scripted result");
    if (next === "block") {
      await Promise.race([
        this.#release.promise,
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason), { once: true })
        ),
      ]);
      this.#release = Promise.withResolvers();
      return result([target("us-east-1", ["arn:aws:ec2:us-east-1:111111111111:instance/i-1"])]);
    }
    if (next instanceof Error) throw next;
    return next;
  };
  release(): void {
    this.#release.resolve();
  }
}

/** A handler, refresher and clock wired as `runServe` wires them. */
export function app(
  opts: {
    users?: Map<string, string>;
    compare?: (password: string, hash: string) => Promise<boolean>;
    maxScanSeconds?: number;
    apiTotals?: () => Readonly<Record<string, ApiCounts>>;
    metricsPath?: string;
    reload?: () => Promise<ReloadResult>;
    /** Constant labels, as runServe passes them: on the self-metrics at once, then per snapshot. */
    labels?: () => ConstLabels;
  } = {},
) {
  const clock = { now: Date.parse("2030-01-01T00:00:00Z") };
  const scans = new ScriptedScans();
  const self = new SelfMetrics(clock.now);
  if (opts.labels) self.setLabels(opts.labels());
  const refresher = new Refresher({
    scan: scans.scan,
    apiTotals: opts.apiTotals,
    labels: opts.labels,
    detail: config.detailMetrics,
    self,
    now: () => clock.now,
    pause: () => Promise.resolve(),
  });
  const users = opts.users ?? new Map();
  const auth = users.size > 0
    ? new BasicAuth(users, { now: () => clock.now, compare: opts.compare })
    : null;
  const handler = createHandler({
    refresher,
    self,
    now: () => clock.now,
    auth,
    metricsPath: opts.metricsPath,
    reload: opts.reload,
    status: {
      config,
      schedule: intervalSchedule(300),
      source: "inventory",
      web: { tls: false, basicAuth: users.size > 0 },
      startedAt: clock.now,
      livenessIntervals: 3,
      maxScanSeconds: opts.maxScanSeconds ?? 0,
      metricsPath: opts.metricsPath,
      labels: opts.labels,
    },
  });
  const get = (path: string, init: RequestInit = {}) =>
    handler(new Request(`http://exporter${path}`, init));
  return { clock, scans, refresher, self, handler, get, auth };
}
