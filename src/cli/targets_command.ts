import { type Command, Option } from "commander";
import { loadConfig } from "../config/load.ts";
import { type AccountSource, withDiscoveryOutcome } from "../discovery_report.ts";
import { describeError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { visible } from "../report/visible.ts";
import { type ScanPlan, ScanPlanner } from "../scan/plan.ts";
import { targetKey } from "../sources/source.ts";
import type { Io } from "./io.ts";
import {
  type CommonOptions,
  type SourceOptions,
  withCommonOptions,
  withSourceOptions,
} from "./options.ts";

export interface TargetsOptions extends CommonOptions, SourceOptions {
  format: "table" | "json";
}

/** One row of `targets`: an account x region a scan would cover. */
export interface TargetRow {
  account_id: string;
  account_name: string;
  region: string;
  role_arn: string | null;
  source: AccountSource;
  /** Why the target would fail before any call (its regions could not be listed); else null. */
  error: string | null;
}

const TARGETS_HELP = `
Prints what a scan would cover, without scanning: one row per account x
region with its name, role and source (organization: discovered by AWS
Organizations; matrix: listed in aws_account_matrix; override: discovered
and changed by the config). aws_organization is discovered and regions: all
listed (account:ListRegions) exactly as a scan would. An account whose
regions could not be listed shows region "all" and the reason.

Exit codes:
  0  every target listed
  1  discovery failed and the config lists no account to fall back on
  2  usage or config error
  3  listed, but discovery failed (the matrix alone is shown) or some
     accounts' regions could not be listed`;

/** Adds the `targets` subcommand. */
export function registerTargets(program: Command, io: Io, exit: { code: number }): void {
  withSourceOptions(withCommonOptions(
    program.command("targets")
      .description(
        "print the account x region targets a scan would cover, and where each came from",
      ),
  ))
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["table", "json"]).default(
        "table",
      ),
    )
    .addHelpText("after", TARGETS_HELP)
    .action(async (opts: TargetsOptions) => {
      exit.code = await targetsCommand(opts, io);
    });
}

/**
 * `targets`: plans a scan (discovery included) and prints its targets as a
 * table or JSON on stdout. Returns 0, or 3 when discovery failed or an
 * account's regions could not be listed.
 */
export async function targetsCommand(opts: TargetsOptions, io: Io): Promise<number> {
  const log = io.logger(opts);
  const config = await loadConfig(opts.config);
  const planner = await ScanPlanner.open(config, opts, "metrics", { log, awsSource: io.awsSource });
  let plan: ScanPlan;
  try {
    plan = planner.lastPlan;
  } finally {
    await planner.close();
  }
  const rows = targetRows(plan);
  await io.stdout([opts.format === "json" ? JSON.stringify(rows, null, 2) + "\n" : table(rows)]);
  if (!opts.quiet) {
    const accounts = new Set(rows.map((r) => r.account_id)).size;
    const failed = rows.filter((r) => r.error !== null).length;
    const line = `${plural(rows.length, "target")} in ${plural(accounts, "account")}` +
      (failed > 0 ? `; ${failed} cannot be scanned (see error)` : "");
    if (opts.logFormat === "json") log.info("targets listed", { targets: rows.length, accounts });
    else io.stderr(line);
  }
  const code = rows.some((r) => r.error !== null) ? ExitCode.Partial : ExitCode.Ok;
  return withDiscoveryOutcome(code, plan.report);
}

/** The rows of a plan, in scan order. */
export function targetRows(plan: ScanPlan): TargetRow[] {
  const sources = new Map(plan.report?.accounts.map((a) => [a.id, a.source]) ?? []);
  return plan.targets.map((t) => {
    const failure = plan.failures.get(targetKey(t));
    return {
      account_id: t.account.id,
      account_name: t.account.name,
      region: t.region,
      role_arn: t.account.roleArn,
      source: sources.get(t.account.id) ?? "matrix",
      error: failure === undefined ? null : describeError(failure).message,
    };
  });
}

/** A plain-text table; names from AWS are made visible (no terminal control characters). */
function table(rows: readonly TargetRow[]): string {
  const head = ["ACCOUNT ID", "NAME", "REGION", "ROLE", "SOURCE"];
  const withError = rows.some((r) => r.error !== null);
  if (withError) head.push("ERROR");
  const cells = rows.map((r) => {
    const c = [
      r.account_id,
      visible(r.account_name, false),
      r.region,
      r.role_arn ?? "(base credentials)",
      r.source,
    ];
    if (withError) c.push(visible(r.error ?? "", false));
    return c;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd() + "\n";
  return [head, ...cells].map(line).join("");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
