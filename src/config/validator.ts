import type { ConfigDocument, Path } from "./document.ts";

/**
 * Type checks of raw YAML values that fail with the document's one-line
 * messages (`file:LINE: path: problem (fix)`). Each config section's parser
 * reads plain values through one of these.
 */
export class Validator {
  constructor(readonly doc: ConfigDocument) {}

  optString(path: Path, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "string") {
      this.doc.fail(path, `must be a string, got ${describe(value)} (quote it)`);
    }
    return value;
  }

  bool(path: Path, value: unknown): boolean {
    if (typeof value !== "boolean") {
      this.doc.fail(path, `must be true or false, got ${describe(value)}`);
    }
    return value;
  }

  optNumber(path: Path, value: unknown, range: { min?: number; max?: number } = {}): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.doc.fail(path, `must be a number, got ${describe(value)}`);
    }
    if (range.min !== undefined && value < range.min) {
      this.doc.fail(path, `${value} is below the minimum ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      this.doc.fail(path, `${value} is above the maximum ${range.max}`);
    }
    return value;
  }

  optInt(path: Path, value: unknown, range: { min?: number; max?: number } = {}): number | null {
    const n = this.optNumber(path, value, range);
    if (n !== null && !Number.isInteger(n)) this.doc.fail(path, `must be a whole number, got ${n}`);
    return n;
  }

  stringList(path: Path, value: unknown): string[] {
    if (!Array.isArray(value)) {
      this.doc.fail(path, `must be a list of strings, got ${describe(value)}`);
    }
    return value.map((item, i) => {
      if (typeof item !== "string") {
        this.doc.fail([...path, i], `must be a string, got ${describe(item)} (quote it)`);
      }
      return item;
    });
  }
}

/** True for a YAML mapping (a plain object, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `a list`, `a mapping`, `number 5`, ... for "got ..." in messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
