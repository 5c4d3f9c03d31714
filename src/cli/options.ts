import { type Command, InvalidArgumentError, Option } from "commander";
import { formatDuration, parseSeconds } from "../duration.ts";
import type { LogFormat, LogLevel } from "../log.ts";
import { parseShard, type Shard } from "../scan/shard.ts";

/** Options every subcommand takes. */
export interface CommonOptions {
  config: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  quiet: boolean;
}

/** Adds `--config`, `--log-level`, `--log-format` and `--quiet` to a command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("-c, --config <file>", "config file", "config.yaml")
    .addOption(
      new Option("--log-level <level>", "least severe log level written to stderr")
        .choices(["debug", "info", "warn", "error"]).default("info"),
    )
    .addOption(logFormatOption())
    .option("-q, --quiet", "no progress display or summary; warnings and errors only", false);
}

/**
 * `--log-format`: logfmt (as Prometheus' promslog writes it, what Loki's
 * logfmt stage reads), or JSON. `text`, the name of the default before
 * logfmt, is kept as another name for it.
 */
function logFormatOption(): Option {
  const option = new Option(
    "--log-format <format>",
    "log line format: logfmt (ts=... level=info msg=...; text is another name for it) or json",
  ).choices(["logfmt", "text", "json"]).default("logfmt");
  const choose = option.parseArg!;
  return option.argParser((value: string, previous: unknown) => {
    const format = choose<string>(value, previous as string);
    return format === "text" ? "logfmt" : format;
  });
}

/** Parses a whole number in [min, max] for commander. */
export function intArg(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

/** Parses a number in [min, max] for commander. */
export function numberArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

/**
 * Parses whole seconds in [min, max] for commander, written as bare seconds
 * (`30`) or a Prometheus duration (`30s`, `5m`, `1h30m`).
 */
export function secondsArg(min: number, max: number): (value: string) => number {
  return (value) => {
    let n: number;
    try {
      n = parseSeconds(value);
    } catch (e) {
      throw new InvalidArgumentError(`${JSON.stringify(value)} ${(e as Error).message}`);
    }
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected whole seconds or a duration from ${min} to ${max} seconds ` +
          `(${formatDuration(min)} to ${formatDuration(max)}), got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Options that choose what a scan covers; shared by scan, report and serve. */
export interface SourceOptions {
  inventory?: string[];
  concurrency?: number;
  shard?: Shard;
}

/** Adds `--inventory`, `--concurrency` and `--shard` to a command. */
export function withSourceOptions(cmd: Command): Command {
  return cmd
    .option(
      "-i, --inventory <path>",
      "read saved get-resources JSON (file or directory; repeatable) instead of AWS",
      collect,
    )
    .option(
      "--concurrency <n>",
      "account-regions scanned at once (default: config, else adapts from 32 up to 256)",
      intArg(1, 1024),
    )
    .option(
      "--shard <index/count>",
      "scan only this 0-based shard of the accounts, e.g. 0/3",
      shardArg,
    );
}

function shardArg(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    // Commander already names the flag and value: keep only the reason.
    const reason = (e as Error).message.replace(/^--shard "[^"]*":? ?/, "");
    throw new InvalidArgumentError(reason.startsWith("is ") ? `It ${reason}` : capitalize(reason));
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
