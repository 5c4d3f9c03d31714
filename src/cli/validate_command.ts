import type { Command } from "commander";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/model.ts";
import { ExitCode } from "../exit_codes.ts";
import { plural } from "../plural.ts";
import { discovers } from "../scan/discovery.ts";
import type { Io } from "./io.ts";
import { type CommonOptions, withCommonOptions } from "./options.ts";

/** Required tags named in the OK line; the rest are counted. */
const NAMED_TAGS = 20;

/** Adds the `validate` subcommand. */
export function registerValidate(program: Command, io: Io, exit: { code: number }): void {
  withCommonOptions(program.command("validate").description("validate the config file and exit"))
    .action(async (opts: CommonOptions) => {
      writeConfigSummary(io, opts, await loadConfig(opts.config));
      exit.code = ExitCode.Ok;
    });
}

/**
 * Says on stderr that the config is valid and what it covers, then any
 * warnings: human lines, or with `--log-format json` one JSON object each.
 * The OK line is the command's result, so `--quiet` and `--log-level` do not
 * hide it.
 */
export function writeConfigSummary(io: Io, opts: CommonOptions, config: Config): void {
  if (opts.logFormat !== "json") {
    io.stderr(configSummary(config));
    return;
  }
  const log = io.logger({ ...opts, quiet: false, logLevel: "info" });
  log.info("config OK", {
    config: config.source,
    accounts: config.accounts.length,
    account_regions: accountRegions(config),
    required_tags: config.requiredTags.length,
  });
  for (const w of config.warnings) log.warn(w);
}

/**
 * One line that says the config is valid and what it covers, then any warnings.
 *
 * @example
 * configSummary(config); // "config.yaml: OK: 1 account, 2 account-regions, 1 required tag (owner)"
 */
export function configSummary(config: Config): string {
  const tags = config.requiredTags;
  const more = tags.length > NAMED_TAGS ? `, and ${tags.length - NAMED_TAGS} more` : "";
  const named = `${plural(tags.length, "required tag")} (${
    tags.slice(0, NAMED_TAGS).join(", ")
  }${more})`;
  const listed = `${plural(config.accounts.length, "account")}, ` +
    `${plural(accountRegions(config), "account-region")}`;
  const ok =
    (discovers(config)
      ? `${config.source}: OK: ${runTimeAccounts(config, listed)}; ${named}`
      : `${config.source}: OK: ${listed}, ${named}`) + optionSummary(config);
  return [ok, ...config.warnings.map((w) => `warning: ${w}`)].join("\n");
}

/**
 * `; tag rules for 2 tags, key_case exact, 1 prohibited tag`, the type format
 * and constant labels when set, or "" without any of them.
 */
function optionSummary(config: Config): string {
  const rules = config.rules;
  const parts = rules
    ? [
      `tag rules for ${plural(rules.tagRules.length, "tag")}, key_case ${rules.keyCase}, ` +
      plural(rules.prohibitedTags.length, "prohibited tag"),
    ]
    : [];
  if (config.awsTagPolicy) parts.push("AWS tag policy verdicts");
  if (config.resourceTypeFormat === "service") parts.push("resource types as service:type");
  const labels = Object.entries(config.exporterLabels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (labels.length > 0) parts.push(`labels on every series: ${labels.join(", ")}`);
  return parts.map((p) => `; ${p}`).join("");
}

/** What a config that discovers accounts or regions covers, as far as it is known before a scan. */
function runTimeAccounts(config: Config, listed: string): string {
  const all = config.accountRules.entries.filter((e) => e.regions === "all").length;
  const parts = config.accounts.length > 0 ? [`${listed} listed`] : [];
  if (all > 0) parts.push(`${plural(all, "listed account")} in every enabled region`);
  const org = config.organization;
  if (org) {
    const scope = org.includeOus ? `under ${org.includeOus.join(", ")}` : "of the organisation";
    const excluded = org.excludeAccounts.length > 0
      ? ` except ${org.excludeAccounts.length} excluded`
      : "";
    const regions = org.regions === "all" ? "every enabled region" : org.regions.join(", ");
    parts.push(`the AWS Organizations accounts ${scope}${excluded} in ${regions}`);
  }
  return `${parts.join(", plus ")} (known when a scan starts: see the targets command)`;
}

function accountRegions(config: Config): number {
  return config.accounts.reduce((n, a) => n + a.regions.length, 0);
}
