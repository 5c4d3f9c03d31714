import { closest, distance } from "fastest-levenshtein";
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "../errors.ts";

/** A path into the YAML document: keys and list indexes. */
export type Path = readonly (string | number)[];

/**
 * The parsed YAML document plus what error messages need: the file name, line
 * numbers and the raw source text of a value. Validators read plain JS values
 * and call `fail` with a path; this class turns that into one line:
 * `file:LINE: path.to[1].key: problem`.
 */
export class ConfigDocument {
  readonly value: unknown;
  #doc: Document;
  #lines: LineCounter;
  #text: string;

  constructor(readonly file: string, text: string) {
    this.#text = text;
    this.#lines = new LineCounter();
    this.#doc = parseDocument(text, { lineCounter: this.#lines, uniqueKeys: true });
    const err = this.#doc.errors[0];
    if (err) {
      const line = err.linePos?.[0].line;
      const where = line ? `${file}:${line}` : file;
      const msg = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new ConfigError(`${where}: not valid YAML: ${msg} (fix the syntax)`);
    }
    this.value = this.#doc.toJS({ maxAliasCount: 1000 });
  }

  /** Throws a ConfigError naming the file, line, path and problem. */
  fail(path: Path, problem: string): never {
    const line = this.line(path);
    const where = line ? `${this.file}:${line}` : this.file;
    const at = path.length > 0 ? `${formatPath(path)}: ` : "";
    throw new ConfigError(`${where}: ${at}${problem}`);
  }

  /** The 1-based line of the node at `path`, or of its key when the value is empty. */
  line(path: Path): number | null {
    const node = this.#doc.getIn(path, true) as Node | undefined;
    let offset = node?.range?.[0];
    if (offset === undefined && path.length > 0) {
      const parent = this.#doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
        offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
      }
    }
    return offset === undefined ? null : this.#lines.linePos(offset).line;
  }

  /** The value at `path` exactly as written in the file, when it is a scalar. */
  raw(path: Path): string | null {
    const node = this.#doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return null;
    return this.#text.slice(node.range[0], node.range[1]).trim();
  }

  /** The keys of the map at `path` as written, with whether YAML read them as numbers. */
  mapKeys(path: Path): { key: string; raw: string; isNumber: boolean }[] {
    const node = path.length === 0 ? this.#doc.contents : this.#doc.getIn(path, true);
    if (!isMap(node)) return [];
    return node.items.flatMap((pair) => {
      if (!isScalar(pair.key)) return [];
      const raw = pair.key.range
        ? this.#text.slice(pair.key.range[0], pair.key.range[1]).trim()
        : String(pair.key.value);
      return [{ key: String(pair.key.value), raw, isNumber: typeof pair.key.value === "number" }];
    });
  }

  /**
   * Fails on the first key of `obj` not in `allowed`, suggesting the closest
   * allowed key, because a misspelt key must never silently mean "not set".
   */
  checkKeys(path: Path, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      this.fail([...path, key], `unknown key ${JSON.stringify(key)}${suggestion(key, allowed)}`);
    }
  }
}

function suggestion(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  const lowered = allowed.map((a) => a.toLowerCase());
  const best = lowered.find((a) => a === lower) ??
    lowered.find((a) => a.startsWith(lower) || lower.startsWith(a)) ??
    closest(lower, lowered);
  if (
    best === lower || best.startsWith(lower) || lower.startsWith(best) ||
    distance(lower, best) <= Math.max(2, Math.floor(key.length / 3))
  ) {
    return ` (did you mean ${JSON.stringify(allowed[lowered.indexOf(best)])}?)`;
  }
  return ` (allowed keys: ${allowed.join(", ")})`;
}

/** `aws_account_matrix[1].account_id` from `["aws_account_matrix", 1, "account_id"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
