/** Moves to the start of the line and erases it. */
const CLEAR = "\r\x1b[2K";

/**
 * Stderr shared by whole lines (log lines, the summary, errors) and one line
 * redrawn in place at the bottom (the progress display, on a terminal). A
 * whole line first clears the status line, then draws it again below
 * itself, in one write, so the two never run together as they did
 * (`…ETA 2s2026-11-29T11:37:56.660Z ERROR target failed…`).
 */
export class StatusLine {
  #shown = "";
  readonly #write: (text: string) => void;
  readonly #columns: () => number | null;

  /**
   * @param write writes text as it is (no newline added)
   * @param columns the terminal's width, or null when unknown: a status line
   *   is cut to fit, since a wrapped one cannot be cleared
   */
  constructor(write: (text: string) => void, columns: () => number | null = () => null) {
    this.#write = write;
    this.#columns = columns;
  }

  /** Writes `text`, whole lines each ending in "\n", above the status line. */
  print(text: string): void {
    this.#write(this.#shown === "" ? text : CLEAR + text + this.#shown);
  }

  /** Draws `line` as the status line in place of the last one; "" clears it. */
  show(line: string): void {
    const width = this.#columns();
    const fitted = width !== null && line.length >= width ? line.slice(0, width - 1) : line;
    if (fitted === "" && this.#shown === "") return;
    this.#write(CLEAR + fitted);
    this.#shown = fitted;
  }
}

/** The process's stderr as a `StatusLine`: needs no permission. */
export function stderrStatusLine(): StatusLine {
  const encoder = new TextEncoder();
  return new StatusLine((text) => writeAllSync(Deno.stderr, encoder.encode(text)), columns);
}

function writeAllSync(file: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
}

/** The terminal's width; null when stderr is not a terminal or reports no size. */
function columns(): number | null {
  try {
    const { columns } = Deno.consoleSize();
    return columns > 0 ? columns : null;
  } catch {
    return null;
  }
}
