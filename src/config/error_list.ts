import { ConfigError } from "../errors.ts";
import { plural } from "../plural.ts";

/** Config errors shown at most; the rest are counted in one last line. */
export const MAX_SHOWN_ERRORS = 20;

interface Entry {
  /** 0 for errors about the whole file (a missing key), so they come first. */
  readonly line: number;
  readonly seq: number;
  readonly text: string;
}

/**
 * The errors found in one config file, kept in file order (by line, then in
 * the order found) and bounded: only the first `MAX_SHOWN_ERRORS` are kept,
 * so a file with 200,000 bad entries costs neither memory nor a wall of text.
 */
export class ErrorList {
  #shown: Entry[] = [];
  #count = 0;

  constructor(readonly file: string) {}

  /** How many errors were added, shown or not. */
  get count(): number {
    return this.#count;
  }

  /** Adds one error line found at `line` (null: the whole file). */
  add(line: number | null, text: string): void {
    const entry = { line: line ?? 0, seq: this.#count++, text };
    const shown = this.#shown;
    if (shown.length === MAX_SHOWN_ERRORS && !before(entry, shown[shown.length - 1])) return;
    let i = shown.length;
    while (i > 0 && before(entry, shown[i - 1])) i--;
    shown.splice(i, 0, entry);
    if (shown.length > MAX_SHOWN_ERRORS) shown.pop();
  }

  /** Throws a `ConfigError` with one line per shown error when there is any. */
  throwIfAny(): void {
    if (this.#count === 0) return;
    const lines = this.#shown.map((e) => e.text);
    const more = this.#count - lines.length;
    if (more > 0) {
      lines.push(`${this.file}: and ${plural(more, "more error")} (fix these first)`);
    }
    throw new ConfigError(lines);
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.line < b.line || (a.line === b.line && a.seq < b.seq);
}
