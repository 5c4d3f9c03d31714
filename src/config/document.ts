import { closest, distance } from "fastest-levenshtein";
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "../errors.ts";
import { dropDuplicateKeys } from "./duplicate_keys.ts";
import { ErrorList } from "./error_list.ts";
import { cut, ECHO_MAX, quote } from "./quote.ts";
import { MAX_YAML_ITEMS, tooManyItems } from "./yaml_items.ts";

/** A path into the YAML document: keys and list indexes. */
export type Path = readonly (string | number)[];

/** Alias expansions allowed while reading the YAML: far more than a config needs. */
const MAX_ALIAS_COUNT = 1000;

/** Thrown by `fail` to leave the unit being read; `attempt` catches it. */
class Abandoned extends Error {
  override name = "Abandoned";
}

/**
 * The parsed YAML document plus what error messages need: the file name, line
 * numbers and the raw source text of a value. Validators read plain JS values
 * and report problems with a path; this class turns each into one line,
 * `file:LINE: path.to[1].key: problem`, and collects them, so one run shows
 * every mistake in the file (see `parseConfig` for how sections use it).
 */
export class ConfigDocument {
  readonly value: unknown;
  #doc: Document;
  #lines: LineCounter;
  #text: string;
  #errors: ErrorList;
  /** Paths of keys an unknown key was taken for a misspelling of. */
  #suggested = new Set<string>();

  /**
   * Parses `text`. A file that is not valid YAML, or expands aliases without
   * bound, throws a `ConfigError` at once, with every such problem: the values
   * it holds cannot be trusted. A key given twice in one mapping is reported
   * and reading goes on with its first value (see `dropDuplicateKeys`).
   */
  constructor(readonly file: string, text: string) {
    this.#text = text;
    this.#lines = new LineCounter();
    this.#errors = new ErrorList(file);
    if (tooManyItems(text)) {
      throw new ConfigError(
        `${file}: holds more than ${MAX_YAML_ITEMS} YAML items (keys, values, list entries); ` +
          `a config needs far fewer (see docs/configuration.md, "Limits")`,
      );
    }
    try {
      // Duplicate keys are found below, in linear time and with both lines.
      this.#doc = parseDocument(text, { lineCounter: this.#lines, uniqueKeys: false });
    } catch (e) {
      throw new ConfigError(`${file}: cannot read the YAML: ${tooDeep(e)}`);
    }
    for (const err of this.#doc.errors) {
      const line = err.linePos?.[0].line ?? null;
      const msg = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      this.#add(line, `not valid YAML: ${cut(msg, 200)} (fix the syntax)`);
    }
    this.#errors.throwIfAny();
    for (const d of dropDuplicateKeys(this.#doc.contents)) {
      const at = d.path.length > 0 ? `${formatPath(d.path)}: ` : "";
      this.#add(
        this.#lineAt(d.second),
        `${at}key ${quote(d.key)} is given twice in one mapping (also line ${
          this.#lineAt(d.first)
        }; keep one)`,
      );
    }
    try {
      this.value = this.#doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // With the repeated keys too: an alias may name an anchor in a dropped pair.
      this.#add(null, `cannot read the YAML: ${aliasProblem(e)}`);
      this.#errors.throwIfAny();
      throw e;
    }
  }

  /**
   * Records a problem at `path` and goes on reading, for a check whose
   * failure leaves the value usable by the checks after it.
   */
  report(path: Path, problem: string): void {
    const at = path.length > 0 ? `${formatPath(path)}: ` : "";
    this.#add(this.line(path), `${at}${problem}`);
  }

  /**
   * Records a problem at `path` and abandons the unit being read (the
   * innermost `attempt`), for a value that later checks cannot use.
   */
  fail(path: Path, problem: string): never {
    this.report(path, problem);
    throw new Abandoned();
  }

  /**
   * Reads one unit (a section, an entry, a key) with `read`. Returns its value,
   * or undefined when anything in it was reported, so a value with a problem
   * never reaches a check or a model that depends on it.
   */
  attempt<T>(read: () => T): T | undefined {
    const before = this.#errors.count;
    try {
      const value = read();
      return this.#errors.count === before ? value : undefined;
    } catch (e) {
      if (e instanceof Abandoned) return undefined;
      throw e;
    }
  }

  /** `value`, or abandons the unit being read when it is undefined (its problem was reported). */
  need<T>(value: T | undefined): T {
    if (value === undefined) throw new Abandoned();
    return value;
  }

  /** Throws a `ConfigError` with every problem reported so far, in file order. */
  throwIfFailed(): void {
    this.#errors.throwIfAny();
  }

  #add(line: number | null, text: string): void {
    this.#errors.add(line, `${line ? `${this.file}:${line}` : this.file}: ${text}`);
  }

  #lineAt(offset: number): number {
    return this.#lines.linePos(offset).line;
  }

  /**
   * The 1-based line of what `path` names: the key, for a mapping's entry
   * (its value may start on the next line), else the node itself.
   */
  line(path: Path): number | null {
    let offset: number | undefined;
    if (path.length > 0) {
      const parent = this.#doc.getIn(path.slice(0, -1), true);
      const key = String(path.at(-1));
      // String(): a key YAML read as a number (an unquoted account id) is a string in the path.
      const pair = isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key)
        : undefined;
      offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    }
    offset ??= (this.#doc.getIn(path, true) as Node | undefined)?.range?.[0];
    return offset === undefined ? null : this.#lineAt(offset);
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
   * Reports every key of `obj` not in `allowed`, suggesting the closest
   * allowed key, because a misspelt key must never silently mean "not set".
   */
  checkKeys(path: Path, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const meant = closestKey(key, allowed);
      if (meant !== null) this.#suggested.add(pathKey([...path, meant]));
      const hint = meant !== null
        ? ` (did you mean ${quote(meant)}?)`
        : ` (allowed keys: ${allowed.join(", ")})`;
      this.report([...path, key], `unknown key ${quote(key)}${hint}`);
    }
  }

  /**
   * Fails because a required key (one of `keys`, in the map at `path`) is
   * missing, unless an unknown key there was already reported as a likely
   * misspelling of it: one mistake, one line.
   */
  failMissing(path: Path, keys: readonly string[], problem: string): never {
    if (keys.some((k) => this.#suggested.has(pathKey([...path, k])))) throw new Abandoned();
    return this.fail(path, problem);
  }
}

function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** The allowed key `key` was probably meant to be, or null. */
function closestKey(key: string, allowed: readonly string[]): string | null {
  const lower = key.toLowerCase();
  const lowered = allowed.map((a) => a.toLowerCase());
  const best = lowered.find((a) => a === lower) ??
    lowered.find((a) => a.startsWith(lower) || lower.startsWith(a)) ??
    closest(lower, lowered);
  if (
    best === lower || best.startsWith(lower) || lower.startsWith(best) ||
    distance(lower, best) <= Math.max(2, Math.floor(key.length / 3))
  ) {
    return allowed[lowered.indexOf(best)];
  }
  return null;
}

/** `aws_account_matrix[1].account_id` from `["aws_account_matrix", 1, "account_id"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) && part.length <= ECHO_MAX) {
      out += out ? `.${part}` : part;
    } else out += `[${quote(part)}]`;
  }
  return out;
}

/** Why the YAML library could not read a file at all (nesting deeper than the stack). */
function tooDeep(e: unknown): string {
  if (e instanceof RangeError) return "it is nested too deeply (simplify the structure)";
  return `${cut(e instanceof Error ? e.message : String(e), 200)} (fix the syntax)`;
}

/** Why turning the YAML into values failed: usually aliases expanding without bound. */
function aliasProblem(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/excessive alias count/i.test(msg)) {
    return `its aliases expand to more than ${MAX_ALIAS_COUNT} nodes (an "alias bomb"?); ` +
      `write the values out, or use fewer aliases`;
  }
  if (e instanceof RangeError) return tooDeep(e);
  return `${cut(msg.split("\n")[0], 200)} (fix the anchors and aliases)`;
}
