import type { Progress } from "../scan/runner.ts";
import type { StatusLine } from "./status_line.ts";

/**
 * A one-line progress display (terminals only): targets done of total,
 * resources, rate and ETA, drawn as `status`'s status line, so log lines
 * written through the same `StatusLine` appear above it. It redraws at most
 * ten times a second and clears itself when the last target finishes.
 */
export function progressDisplay(
  total: number,
  status: Pick<StatusLine, "show">,
  now: () => number = performance.now.bind(performance),
): (p: Readonly<Progress>) => void {
  const started = now();
  let last = 0;
  return (p: Readonly<Progress>) => {
    const t = now();
    const done = p.targetsDone === p.targetsTotal;
    if (!done && t - last < 100) return;
    last = t;
    if (done) {
      status.show("");
      return;
    }
    const seconds = (t - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.resources / seconds) : 0;
    const eta = p.targetsDone > 0
      ? Math.round((seconds / p.targetsDone) * (total - p.targetsDone))
      : null;
    const failed = p.targetsFailed > 0 ? `, ${p.targetsFailed} failed` : "";
    status.show(
      `[${p.targetsDone}/${total} ${total === 1 ? "target" : "targets"}${failed}] ${
        p.resources.toLocaleString("en-US")
      } resources read, ` +
        `${rate.toLocaleString("en-US")}/s, ETA ${eta === null ? "?" : `${eta}s`}`,
    );
  };
}
