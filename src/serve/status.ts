import type { Config } from "../config/model.ts";
import { roundSeconds } from "../duration.ts";
import { percentage } from "../ratio.ts";
import { scanTotals } from "../totals.ts";
import { untaggedTotals } from "../untagged_totals.ts";
import { VERSION } from "../version.ts";
import { discoveryJson } from "./discovery_status.ts";
import { healthOf } from "./health.ts";
import type { Refresher } from "./refresher.ts";
import type { Schedule } from "./schedule.ts";
import { untaggedTargetFields } from "./untagged_status.ts";

/** The static facts the status page shows besides scan state. */
export interface StatusContext {
  readonly config: Config;
  readonly schedule: Schedule;
  /** `inventory` (offline) or `aws`. */
  readonly source: string;
  readonly web: {
    readonly tls: boolean;
    readonly basicAuth: boolean;
    /** `client_auth_type` and `min_version` when TLS is on. */
    readonly clientAuth?: string;
    readonly minVersion?: string;
  };
  readonly startedAt: number;
  /** /livez fails after this many intervals without a finished scan. */
  readonly livenessIntervals: number;
  /**
   * The longest a whole scan can legitimately take: the target timeout times
   * the number of rounds the pool needs (`ceil(targets / concurrency)`).
   * A running scan keeps /livez up for this plus `livenessIntervals`
   * intervals. Default 0. A function is read at each check: with
   * discovery the target count changes from scan to scan.
   */
  readonly maxScanSeconds?: number | (() => number);
  /** The metrics endpoint (`--web.telemetry-path`); default `/metrics`. */
  readonly metricsPath?: string;
  /**
   * The constant labels every series carries (`exporter_labels`, `--label`,
   * the shard); default: the config's `exporter_labels`.
   */
  readonly labels?: () => Readonly<Record<string, string>>;
}

/**
 * /livez's verdict. Live when a scan finished (whatever its outcome) within
 * `livenessIntervals` intervals, or, since a long scan (the first one above
 * all) finishes nothing for a while, when a scan is running and is younger
 * than `maxScanSeconds` plus those intervals. Until a scan has finished the
 * interval rule counts from the start; `seconds_since_last_scan` is then null,
 * since no scan has finished. Stale means the scheduler or a scan is stuck,
 * which a restart fixes.
 */
export function livenessOf(refresher: Refresher, ctx: StatusContext, now: number): {
  ok: boolean;
  seconds_since_start: number;
  seconds_since_last_scan: number | null;
  limit_seconds: number;
  running_scan_seconds: number | null;
  running_scan_limit_seconds: number;
} {
  const finishedAt = refresher.last?.finishedAt ?? null;
  const sinceStart = (now - ctx.startedAt) / 1000;
  const sinceScan = finishedAt === null ? null : (now - finishedAt) / 1000;
  const limit = ctx.livenessIntervals * ctx.schedule.intervalSeconds;
  const max = ctx.maxScanSeconds;
  const runningLimit = (typeof max === "function" ? max() : max ?? 0) + limit;
  const running = refresher.runningSince === null ? null : (now - refresher.runningSince) / 1000;
  return {
    ok: (sinceScan ?? sinceStart) <= limit || (running !== null && running <= runningLimit),
    seconds_since_start: roundSeconds(sinceStart),
    seconds_since_last_scan: sinceScan === null ? null : roundSeconds(sinceScan),
    limit_seconds: limit,
    running_scan_seconds: running === null ? null : roundSeconds(running),
    running_scan_limit_seconds: runningLimit,
  };
}

/**
 * The status document of `/`. It holds no secrets: no external ids, and the
 * endpoint URL without user info or query.
 */
export function statusDocument(refresher: Refresher, ctx: StatusContext, now: number) {
  const { config } = ctx;
  const snap = refresher.snapshot;
  const last = refresher.last;
  const iso = (ms: number | null | undefined) => ms == null ? null : new Date(ms).toISOString();
  const totals = snap ? scanTotals(snap.result) : null;
  const next = ctx.schedule.next(now, last?.startedAt ?? refresher.runningSince ?? ctx.startedAt);
  const health = healthOf(refresher);
  return {
    service: "aws-tag-exporter",
    version: VERSION,
    started_at: iso(ctx.startedAt),
    ready: snap !== null,
    health: health.status,
    /** Why health is `error` (as /health says it); null otherwise. */
    health_error: health.error ?? null,
    /** The targets /health names as failed. */
    failed_targets: health.failed_targets,
    live: livenessOf(refresher, ctx, now).ok,
    config: {
      file: config.source,
      source: ctx.source,
      schedule: ctx.schedule.description,
      cron: ctx.schedule.cron,
      required_tags: config.requiredTags,
      excluded_resource_types: config.excludedResourceTypes,
      // Only when set, so the status of other configs stays as it was.
      ...(config.resourceTypeFormat !== "short" && {
        resource_type_format: config.resourceTypeFormat,
      }),
      ...exporterLabelsStatus(ctx.labels?.() ?? config.exporterLabels),
      detail_metrics: {
        enabled: config.detailMetrics.enabled,
        max_series: config.detailMetrics.maxSeries,
      },
      ...rulesStatus(config),
      endpoint_url: config.aws.endpointUrl === null ? null : redactUrl(config.aws.endpointUrl),
      accounts: config.accounts.map((a) => ({
        account_id: a.id,
        account_name: a.name,
        regions: a.regions,
        role_arn: a.roleArn,
        external_id: a.externalId === null ? null : "(set)",
      })),
      web: {
        tls: ctx.web.tls,
        basic_auth: ctx.web.basicAuth,
        ...(ctx.web.clientAuth && { client_auth_type: ctx.web.clientAuth }),
        ...(ctx.web.minVersion && { min_version: ctx.web.minVersion }),
      },
      metrics_path: ctx.metricsPath ?? "/metrics",
      ...(config.untaggedResources.enabled && {
        untagged_resources: {
          index_region: config.untaggedResources.indexRegion,
          view_arn: config.untaggedResources.viewArn,
        },
      }),
    },
    ...(last?.discovery ? { discovery: discoveryJson(last.discovery) } : {}),
    scans: {
      running: refresher.runningSince !== null,
      running_since: iso(refresher.runningSince),
      completed: refresher.counts.completed,
      skipped: refresher.counts.skipped,
      next_scan_at: iso(next),
      last: last === null ? null : {
        started_at: iso(last.startedAt),
        finished_at: iso(last.finishedAt),
        duration_seconds: roundSeconds((last.finishedAt - last.startedAt) / 1000),
        outcome: last.outcome,
        error: last.error,
      },
    },
    data: snap === null ? null : {
      scan_started_at: snap.result.startedAt,
      scan_finished_at: snap.result.finishedAt,
      scan_duration_seconds: roundSeconds(snap.result.durationSeconds),
      snapshot_build_seconds: roundSeconds(snap.buildSeconds),
      detail_series: snap.detailSeries,
      totals: totals && {
        targets: totals.targets,
        targets_failed: totals.targetsFailed,
        accounts: totals.accounts,
        resources_scanned: totals.scanned,
        resources_excluded: totals.excluded,
        resources_fully_compliant: totals.fullyCompliant,
        compliance_percentage: totals.compliancePercentage,
        ...untaggedCounts(snap.result),
      },
      targets: snap.result.targets.map((t) => ({
        account_id: t.accountId,
        account_name: t.accountName,
        region: t.region,
        ok: t.ok,
        error_code: t.error?.code ?? null,
        error: t.error?.message ?? null,
        duration_seconds: roundSeconds(t.durationSeconds),
        resources_scanned: t.ok ? t.counts.scanned : null,
        compliance_percentage: t.ok ? percentage(t.counts.fullyCompliant, t.counts.scanned) : null,
        ...untaggedTargetFields(t),
      })),
    },
  };
}

export type StatusDocument = ReturnType<typeof statusDocument>;

/** The totals' untagged fields, or none with `untagged_resources` off. */
function untaggedCounts(result: Parameters<typeof untaggedTotals>[0]): {
  untagged_covered_targets?: number;
  resources_untagged?: number;
} {
  const u = untaggedTotals(result);
  return u ? { untagged_covered_targets: u.covered, resources_untagged: u.added } : {};
}

/**
 * The rule set as the status page shows it: only the keys that are set, so
 * a config without tag rules shows exactly what it did before.
 */
function rulesStatus(config: Config): {
  key_case?: string;
  tag_rules?: {
    tag: string;
    allowed_values: readonly string[] | null;
    pattern: string | null;
    ignore_value_case: boolean;
    allow_empty: boolean;
  }[];
  prohibited_tags?: readonly string[];
  aws_tag_policy?: true;
} {
  const rules = config.rules;
  return {
    ...(rules && {
      key_case: rules.keyCase,
      tag_rules: rules.tagRules.map((r) => ({
        tag: r.tag,
        allowed_values: r.allowedValues,
        pattern: r.pattern,
        ignore_value_case: r.ignoreValueCase,
        allow_empty: r.allowEmpty,
      })),
      prohibited_tags: rules.prohibitedTags,
    }),
    ...(config.awsTagPolicy && { aws_tag_policy: true as const }),
  };
}

/** A URL without user info, query or fragment (they may carry credentials). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/** The constant labels, only when there are any, so other configs' status stays as it was. */
function exporterLabelsStatus(
  labels: Readonly<Record<string, string>>,
): { exporter_labels?: Readonly<Record<string, string>> } {
  return Object.keys(labels).length > 0 ? { exporter_labels: labels } : {};
}
