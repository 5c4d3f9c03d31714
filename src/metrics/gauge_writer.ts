import type { TargetResult } from "../model.ts";
import { escapeLabelValue } from "./labels.ts";
import type { ExpositionFormat } from "./registry.ts";

/** Characters per chunk: large enough to amortise, small enough to interleave. */
export const CHUNK = 256 * 1024;

/**
 * Writes gauge families as text, byte for byte as prom-client's registry
 * renders them: `# HELP` (backslash and newline escaped) and `# TYPE` lines,
 * then one `name{labels} value` line per series, labels in the order given,
 * values as JavaScript prints numbers (`Nan`, `+Inf`, `-Inf` for the rest);
 * families separated by a blank line in the Prometheus text format and by
 * nothing in OpenMetrics. Text accumulates in a buffer that callers drain in
 * chunks (`full`, `take`), so an exposition of any size is never one string.
 *
 * @example
 * const w = new GaugeWriter("prometheus");
 * w.family("resources_scanned_total", "Total resources scanned");
 * w.series("resources_scanned_total", 'account_id="1"', 3);
 * w.take(); // '# HELP resources_scanned_total ...\n# TYPE ... gauge\nresources_scanned_total{account_id="1"} 3\n'
 */
export class GaugeWriter {
  #buf = "";
  #families = 0;
  #separator: string;
  /** `{a="x"}` for series without labels of their own, "" without constant labels. */
  #alone: string;
  /** `,a="x"` appended to a series' own labels, or "". */
  #tail: string;

  /** `constLabels`: preformatted constant labels (`constLabelText`) added to every series. */
  constructor(format: ExpositionFormat, constLabels = "") {
    this.#separator = format === "prometheus" ? "\n" : "";
    this.#alone = constLabels === "" ? "" : `{${constLabels}}`;
    this.#tail = constLabels === "" ? "" : `,${constLabels}`;
  }

  /** Starts a family: its HELP and TYPE lines. */
  family(name: string, help: string): void {
    if (this.#families++ > 0) this.#buf += this.#separator;
    this.#buf += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n`;
  }

  /**
   * One series of the current family; `labels` is preformatted (`a="x",b="y"`),
   * or "". The constant labels follow them.
   */
  series(name: string, labels: string, value: number): void {
    this.#buf += labels === ""
      ? `${name}${this.#alone} ${valueText(value)}\n`
      : `${name}{${labels}${this.#tail}} ${valueText(value)}\n`;
  }

  /** Whether a chunk's worth of text is waiting. */
  get full(): boolean {
    return this.#buf.length >= CHUNK;
  }

  /** Families written so far. */
  get families(): number {
    return this.#families;
  }

  /** The text written since the last `take`. */
  take(): string {
    const text = this.#buf;
    this.#buf = "";
    return text;
  }
}

/** prom-client's number format. */
export function valueText(value: number): string {
  if (Number.isNaN(value)) return "Nan";
  if (!Number.isFinite(value)) return value < 0 ? "-Inf" : "+Inf";
  return `${value}`;
}

/** HELP text escaping: backslash and newline (quotes stay). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** `account_id="…",account_name="…",region="…"`: a target's labels, escaped, in exported order. */
export function targetLabelText(t: TargetResult): string {
  return `account_id="${escapeLabelValue(t.accountId)}",account_name="${
    escapeLabelValue(t.accountName)
  }",region="${escapeLabelValue(t.region)}"`;
}
