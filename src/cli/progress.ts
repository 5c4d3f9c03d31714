import type { Progress } from "../scan/runner.ts";

/**
 * A one-line progress display on stderr (terminals only): targets done of
 * total, resources, rate and ETA. It redraws at most ten times a second and
 * clears itself when the last target finishes.
 */
export function progressDisplay(
  total: number,
  write = writeStderr,
  now = performance.now.bind(performance),
) {
  const started = now();
  let last = 0;
  return (p: Readonly<Progress>) => {
    const t = now();
    const done = p.targetsDone === p.targetsTotal;
    if (!done && t - last < 100) return;
    last = t;
    if (done) {
      write("\r\x1b[2K");
      return;
    }
    const seconds = (t - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.resources / seconds) : 0;
    const eta = p.targetsDone > 0
      ? Math.round((seconds / p.targetsDone) * (total - p.targetsDone))
      : null;
    const failed = p.targetsFailed > 0 ? `, ${p.targetsFailed} failed` : "";
    write(
      `\r\x1b[2K[${p.targetsDone}/${total} ${total === 1 ? "target" : "targets"}${failed}] ${
        p.resources.toLocaleString("en-US")
      } resources read, ` +
        `${rate.toLocaleString("en-US")}/s, ETA ${eta === null ? "?" : `${eta}s`}`,
    );
  };
}

const encoder = new TextEncoder();
function writeStderr(s: string): void {
  Deno.stderr.writeSync(encoder.encode(s));
}
