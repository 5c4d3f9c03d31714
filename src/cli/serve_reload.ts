import { isDeepStrictEqual } from "node:util";
import { readConfigText } from "../config/load.ts";
import { parseConfig } from "../config/parse.ts";
import type { Config } from "../config/model.ts";
import { ConfigError, describeError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { ScanResult } from "../model.ts";
import { type PlanFlags, ScanPlanner } from "../scan/plan.ts";
import { type Generation, LiveConfig } from "../serve/live_config.ts";
import { resolveSchedule, type Schedule, type ScheduleInputs } from "../serve/schedule.ts";
import type { ReloadOutcome } from "../serve/server.ts";
import { SharedSource } from "../serve/shared_source.ts";
import type { Io } from "./io.ts";

/**
 * The event-loop lag serve's adaptive pool keeps under while it scans
 * (`GovernorOptions.maxLagMs`): probes and scrapes wait behind every AWS
 * answer queued on the one JavaScript thread. Measured on the organisation
 * benchmark (`deno task bench serve`, 5,100 targets at 100 ms per call, with
 * the serve task's V8 flag): `/health` p99 54-86 ms at 25 ms (seven runs),
 * 57-79 ms at 50 ms (two runs), 102-335 ms without a bound, for the same
 * refresh time (6-8 s; also under a 1-CPU quota: 7.0 s against 6.9 s). 25 ms
 * leaves a probe three quarters of its 100 ms for a GC step.
 */
export const SERVE_MAX_LAG_MS = 25;

/** What a reload needs besides the config file: flags and env, fixed for the process. */
export interface ReloadInputs {
  readonly configFile: string;
  readonly flags: PlanFlags;
  /** `--schedule`, `--refresh-interval` and the env var; the config's interval comes per load. */
  readonly schedule: Omit<ScheduleInputs, "config" | "configFile">;
  readonly io: Pick<Io, "awsSource">;
  readonly log: Logger;
}

/**
 * serve's config over time: the first load (whose errors stop serve with
 * exit 2), then reloads (SIGHUP, `POST /-/reload`) that re-read and
 * validate the file, build a planner for it and stage it in `live` for the
 * next scan. A failed reload changes nothing. A config equal to the one in
 * use is not rebuilt, so a reload that changes nothing keeps everything
 * (sessions, the last list discovered). The live AWS source is kept when
 * only keys it does not read changed (`sameSourceSettings`); otherwise a new
 * one is built, and the old one closed once no planner uses it. A file
 * whose text is the same as at the last load is not parsed again: parsing
 * is synchronous, and for the 900-line config of the organisation benchmark
 * it held the event loop, and `/health` with it, for 100-145 ms on every
 * SIGHUP refresh (`deno task bench serve`).
 */
export class ConfigReloader {
  #queue: Promise<unknown> = Promise.resolve();
  /** The text and config of the last successful load. */
  #last: { text: string; config: Config };

  private constructor(
    private readonly inputs: ReloadInputs,
    readonly live: LiveConfig,
    /** The schedule of the last successful load. */
    public schedule: Schedule,
    last: { text: string; config: Config },
  ) {
    this.#last = last;
  }

  /** Loads the config, resolves the schedule and opens the first planner; throws what is wrong. */
  static async open(inputs: ReloadInputs): Promise<ConfigReloader> {
    const text = await readConfigText(inputs.configFile);
    const config = parseConfig(text, inputs.configFile);
    const schedule = scheduleOf(inputs, config);
    const first = await build(inputs, config, []);
    return new ConfigReloader(inputs, new LiveConfig(first), schedule, { text, config });
  }

  /** Scans with the config of this scan: a staged reload applies from here. */
  async scan(signal: AbortSignal): Promise<ScanResult> {
    const gen = await this.live.begin();
    return await gen.planner.run({ log: this.inputs.log, signal, maxLagMs: SERVE_MAX_LAG_MS });
  }

  /** Re-reads the config; reloads run one at a time, in order. */
  reload(): Promise<ReloadOutcome> {
    const next = this.#queue.then(() => this.#reload());
    this.#queue = next;
    return next;
  }

  async #reload(): Promise<ReloadOutcome> {
    try {
      const text = await readConfigText(this.inputs.configFile);
      const config = text === this.#last.text
        ? this.#last.config
        : parseConfig(text, this.inputs.configFile);
      const schedule = scheduleOf(this.inputs, config);
      const { current, staged } = this.live;
      if (isDeepStrictEqual(config, current.config)) {
        await this.live.unstage();
      } else if (staged === null || !isDeepStrictEqual(config, staged.config)) {
        const shared = [staged, current].flatMap((g) => g?.source ?? []) as SharedSource[];
        await this.live.stage(await build(this.inputs, config, shared));
      }
      this.schedule = schedule;
      this.#last = { text, config };
      return { ok: true, schedule };
    } catch (e) {
      return { ok: false, error: oneLine(e) };
    }
  }

  /** Closes every planner and source; call once no scan runs. */
  async close(): Promise<void> {
    await this.#queue;
    await this.live.close();
  }
}

function scheduleOf(inputs: ReloadInputs, config: Config): Schedule {
  return resolveSchedule({
    ...inputs.schedule,
    config: config.refreshIntervalSeconds,
    configFile: config.source,
  });
}

/**
 * A planner for `config`, reusing the first of `shared` that serves it;
 * else a new AWS source (none for inventories). The first plan is made at
 * once, so a source or discovery that fails fails the load.
 */
async function build(
  inputs: ReloadInputs,
  config: Config,
  shared: readonly SharedSource[],
): Promise<Generation> {
  let source: SharedSource | null = null;
  const planner = await ScanPlanner.open(config, inputs.flags, "metrics", {
    log: inputs.log,
    keepLastList: true,
    awsSource: async (c, log) => {
      source = shared.find((s) => s.serves(c)) ??
        // Every scan reuses the clients of the last (signing keys, sessions, connections).
        new SharedSource(await inputs.io.awsSource(c, log, { keepClients: true }), c);
      return source.handle();
    },
  });
  return { config, planner, source };
}

/** One line for the log and the reload answer: the first problem, and how many more. */
function oneLine(e: unknown): string {
  if (e instanceof ConfigError) {
    const more = e.lines.length - 1;
    return more > 0
      ? `${e.lines[0]} (and ${more} more; \`validate --config FILE\` lists them all)`
      : e.lines[0];
  }
  const d = describeError(e);
  return (d.code === "Error" ? d.message : `${d.code}: ${d.message}`).split("\n")[0];
}
