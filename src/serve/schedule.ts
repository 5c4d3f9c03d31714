import { MAX_REFRESH_SECONDS } from "../config/serve_settings.ts";
import { cut } from "../config/quote.ts";
import { parseSeconds } from "../duration.ts";
import { ConfigError } from "../errors.ts";
import { type CronExpression, parseCron } from "./cron.ts";

/** The env var that sets the refresh interval (it must match the serve task's `--allow-env=AWS_*`). */
export const REFRESH_ENV = "AWS_TAG_EXPORTER_REFRESH_INTERVAL";

/** The default refresh interval: five minutes. */
export const DEFAULT_REFRESH_SECONDS = 300;

/** When scheduled scans run. */
export interface Schedule {
  /** The Deno.cron expression (UTC). */
  readonly cron: string;
  /** For humans and the status page. */
  readonly description: string;
  /** Longest expected gap between scans; /livez allows three of them. */
  readonly intervalSeconds: number;
  /**
   * Cron ticks that come sooner than this after the last scan started are
   * ignored (0: every tick scans). Used for intervals that are not a divisor
   * of an hour, which tick every minute.
   */
  readonly minGapSeconds: number;
  /** The time of the next scheduled scan, given when the last one started. */
  next(nowMs: number, lastStartMs: number | null): number | null;
}

/** Where the schedule may come from, most important first. */
export interface ScheduleInputs {
  readonly schedule?: string;
  readonly flag?: string;
  readonly env?: string;
  readonly config?: number | null;
  /** The config file name, for messages. */
  readonly configFile?: string;
}

/**
 * Resolves the schedule: `--schedule`, else the interval (seconds, or a
 * Prometheus duration such as "5m"; see `parseSeconds`) from
 * `--refresh-interval`, then AWS_TAG_EXPORTER_REFRESH_INTERVAL, then config
 * `refresh_interval`, then 300 s. Deno.cron fires at most once a minute, so an
 * interval must be a whole number of minutes. One that divides an hour (60,
 * 120, 300, 600, 900, 1200, 1800, 3600) becomes a step of N in the cron
 * minute field, aligned to the clock; any other (e.g. 420 or 7200) ticks every minute and scans on
 * the first tick at least N minutes, less 30 s of tick jitter, after the
 * previous scan started.
 */
export function resolveSchedule(inputs: ScheduleInputs): Schedule {
  if (inputs.schedule !== undefined) {
    if (inputs.flag !== undefined) {
      throw new ConfigError("pass either --schedule or --refresh-interval, not both");
    }
    let expr: CronExpression;
    try {
      expr = parseCron(inputs.schedule);
    } catch (e) {
      throw new ConfigError(
        `--schedule ${JSON.stringify(inputs.schedule)}: ${(e as Error).message} ` +
          `(example: "*/5 * * * *" runs every 5 minutes, in UTC)`,
      );
    }
    const gap = expr.longestGapSeconds(Date.now());
    if (gap === 0) {
      throw new ConfigError(`--schedule ${JSON.stringify(inputs.schedule)}: never runs`);
    }
    return {
      cron: expr.source.trim(),
      description: `cron "${expr.source.trim()}" (UTC)`,
      intervalSeconds: gap,
      minGapSeconds: 0,
      next: (now) => expr.next(now),
    };
  }
  const [raw, where] = inputs.flag !== undefined
    ? [inputs.flag, "--refresh-interval"]
    : inputs.env !== undefined && inputs.env.trim() !== ""
    ? [inputs.env, REFRESH_ENV]
    : inputs.config !== undefined && inputs.config !== null
    ? [String(inputs.config), `${inputs.configFile ?? "config"}: refresh_interval`]
    : [String(DEFAULT_REFRESH_SECONDS), "default"];
  const shown = JSON.stringify(cut(raw));
  let seconds: number;
  try {
    seconds = parseSeconds(raw);
  } catch (e) {
    throw new ConfigError(`${where}: ${shown} ${(e as Error).message}`);
  }
  if (seconds > MAX_REFRESH_SECONDS) {
    throw new ConfigError(
      `${where}: ${shown} is more than a week (${MAX_REFRESH_SECONDS} seconds), the longest ` +
        `interval (use --schedule "CRON" for rarer scans)`,
    );
  }
  if (seconds < 60 || seconds % 60 !== 0) {
    throw new ConfigError(
      `${where}: ${shown} is not a whole number of minutes ` +
        `(Deno.cron runs at most once a minute: use 1m, 2m, 5m, ... or 60, 120, 300, ...; ` +
        `or --schedule "CRON" for other times)`,
    );
  }
  return intervalSchedule(seconds);
}

/** The schedule of a whole-minute interval (see `resolveSchedule`). */
export function intervalSchedule(seconds: number): Schedule {
  const minutes = seconds / 60;
  const description = `every ${minutes === 1 ? "minute" : `${minutes} minutes`}`;
  if (60 % minutes === 0) {
    const expr = parseCron(minutes === 60 ? "0 * * * *" : `*/${minutes} * * * *`);
    return {
      cron: expr.source,
      description,
      intervalSeconds: seconds,
      minGapSeconds: 0,
      next: (now) => expr.next(now),
    };
  }
  const minGap = seconds - 30;
  return {
    cron: "* * * * *",
    description,
    intervalSeconds: seconds,
    minGapSeconds: minGap,
    next: (now, lastStart) => {
      const due = lastStart === null ? now : Math.max(now, lastStart + minGap * 1000);
      return Math.ceil(due / 60_000) * 60_000;
    },
  };
}
