import type { Logger } from "../log.ts";
import type { Refresher, ScanReason } from "./refresher.ts";
import type { Schedule } from "./schedule.ts";

let cronJobs = 0;

/**
 * What starts serve's scans besides startup: the schedule's Deno.cron job,
 * re-registered when a reload changes the schedule, and requests to scan
 * now (SIGHUP, a reload), which wait for a running scan instead of being
 * skipped: at most one waits, and none starts once `stop` was called.
 */
export class ScanTriggers {
  #schedule: Schedule;
  #cron: AbortController | null = null;
  #waiting = false;
  #stopped = false;

  constructor(
    private readonly refresher: Refresher,
    schedule: Schedule,
    private readonly startedAt: number,
    private readonly log: Logger,
  ) {
    this.#schedule = schedule;
    this.#arm();
  }

  /** The schedule in effect. */
  get schedule(): Schedule {
    return this.#schedule;
  }

  /** Uses `schedule` from now on; the cron job is replaced when its expression changed. */
  setSchedule(schedule: Schedule): void {
    const rearm = schedule.cron !== this.#schedule.cron;
    if (schedule.description !== this.#schedule.description) {
      this.log.info("schedule changed", { schedule: schedule.description });
    }
    this.#schedule = schedule;
    if (rearm && !this.#stopped) this.#arm();
  }

  /** Scans now, or right after the running scan (several requests meanwhile: one scan). */
  rescan(reason: ScanReason): void {
    if (this.#stopped) return;
    if (this.refresher.runningSince === null) return void this.refresher.refresh(reason);
    if (this.#waiting) return;
    this.#waiting = true;
    this.log.info("a scan is running; scanning again when it ends", { reason });
    void this.refresher.idle().then(() => {
      this.#waiting = false;
      if (!this.#stopped) void this.refresher.refresh(reason);
    });
  }

  /** Stops the cron job; no waiting or later request starts a scan. */
  stop(): void {
    this.#stopped = true;
    this.#cron?.abort();
  }

  #arm(): void {
    // Deno.cron cannot be unregistered except through its signal.
    this.#cron?.abort();
    const cron = new AbortController();
    this.#cron = cron;
    Deno.cron(`aws-tag-exporter refresh ${++cronJobs}`, this.#schedule.cron, {
      signal: cron.signal,
    }, () => {
      const r = this.refresher;
      const last = r.last?.startedAt ?? r.runningSince ?? this.startedAt;
      if (Date.now() - last < this.#schedule.minGapSeconds * 1000) return;
      void r.refresh("schedule");
    });
  }
}
