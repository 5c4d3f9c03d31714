/**
 * Reads the entries of one list in a large JSON object file, a batch at a
 * time, without ever holding the file's text or its whole parse tree: the
 * file is read in 256 KiB chunks, a small scanner finds where each entry of the
 * list ends, and each batch is parsed with `JSON.parse`. Memory stays at a
 * chunk plus a batch; the event loop gets control back between chunks.
 *
 * Hand-written because the streaming library is the bottleneck: on a 41.7 MB
 * GetResources file of 200,000 entries, npm @streamparser/json 0.0.22
 * (`paths: ["$.ResourceTagMappingList.*"]`) took 1.12-1.25 s against
 * 0.30-0.32 s for this reader (best of 3 each, same process), since it
 * tokenizes every character in JavaScript where this only finds entry
 * boundaries and leaves the parsing to `JSON.parse`.
 *
 * @module
 */

/** What a reader yields: a batch of parsed list entries, and the other keys at the end. */
export type JsonListEvent =
  | {
    readonly kind: "items";
    /** The list the entries belong to (one of the keys asked for). */
    readonly key: string;
    readonly items: unknown[];
    readonly first: number;
  }
  | {
    readonly kind: "end";
    readonly top: Record<string, unknown>;
    /** Whether the first key asked for held a list. */
    readonly listed: boolean;
    /** Every key asked for that held a list. */
    readonly lists: ReadonlySet<string>;
  };

/** A file that is not the JSON the reader expects; `message` says where. */
export class JsonListError extends Error {
  override name = "JsonListError";
  /** Set when the file is larger than the reader's limit: the bytes read so far. */
  constructor(message: string, readonly tooLarge?: number) {
    super(message);
  }
}

/** The longest list entry or other top-level value, in characters. */
export const MAX_VALUE_CHARS = 1 << 20;
const CHUNK = 1 << 18;
/** Characters of entries parsed at once. */
const BATCH_CHARS = 1 << 18;
const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Streams `file`, which must hold one JSON object, yielding the entries of
 * its list `key` (or of any of the lists `key` names) in batches (a chunk's
 * worth) and finally the object's other keys. Throws `JsonListError` for text that is not such an object, for an
 * entry or value longer than `MAX_VALUE_CHARS` or a file longer than
 * `maxBytes` (with `tooLarge` set); `TypeError` for bytes that are not UTF-8.
 *
 * @example
 * for await (const e of readJsonList(file, "ResourceTagMappingList")) {
 *   if (e.kind === "items") count += e.items.length;
 * }
 */
export async function* readJsonList(
  file: Deno.FsFile,
  key: string | readonly string[],
  maxBytes = Infinity,
): AsyncGenerator<JsonListEvent> {
  const s = new Scanner(file, maxBytes);
  const top: Record<string, unknown> = {};
  const keys: readonly string[] = typeof key === "string" ? [key] : key;
  const lists = new Set<string>();
  await s.expect("{", "the start of an object");
  for (let first = true;; first = false) {
    if (first && await s.tryPunct("}")) break;
    const name = JSON.parse(await s.value("a key in double quotes", true)) as string;
    await s.expect(":", `':' after ${JSON.stringify(name)}`);
    const asked = keys.includes(name);
    if (asked && lists.has(name)) s.fail(`a second ${JSON.stringify(name)}`);
    if (asked && await s.tryPunct("[")) {
      lists.add(name);
      yield* listItems(s, name);
    } else {
      top[name] = parseValue(await s.value(JSON.stringify(name)), name);
    }
    if (!await s.tryPunct(",")) {
      await s.expect("}", `',' or '}' after the value of ${JSON.stringify(name)}`);
      break;
    }
  }
  if (!await s.atEnd()) s.fail("text after the end of the object");
  yield { kind: "end", top, listed: lists.has(keys[0]), lists };
}

/** The entries of a list whose `[` was read, in batches of about `BATCH_CHARS`. */
async function* listItems(s: Scanner, key: string): AsyncGenerator<JsonListEvent> {
  if (await s.tryPunct("]")) return;
  let batch: string[] = [];
  let chars = 0;
  let first = 0;
  for (let index = 0;; index++) {
    const text = await s.value(`${key}[${index}]`);
    batch.push(text);
    chars += text.length;
    const more = await s.tryPunct(",");
    if (!more) await s.expect("]", `',' or ']' after ${key}[${index}]`);
    if (!more || chars >= BATCH_CHARS) {
      yield { kind: "items", key, items: parseBatch(batch, key, first), first };
      batch = [];
      chars = 0;
      first = index + 1;
    }
    if (!more) return;
  }
}

function parseBatch(texts: string[], key: string, first: number): unknown[] {
  try {
    return JSON.parse(`[${texts.join(",")}]`);
  } catch {
    // Find the entry to blame.
    return texts.map((t, i) => parseValue(t, `${key}[${first + i}]`));
  }
}

function parseValue(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonListError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A cursor over the decoded text with just enough JSON to find where values end. */
class Scanner {
  #buf = "";
  #pos = 0;
  /** Characters dropped from the front of `#buf`, for positions in messages. */
  #dropped = 0;
  #eof = false;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #bytes = new Uint8Array(CHUNK);

  #read = 0;

  constructor(readonly file: Deno.FsFile, readonly maxBytes: number) {}

  fail(what: string): never {
    throw new JsonListError(`${what} at character ${this.#dropped + this.#pos + 1}`);
  }

  async atEnd(): Promise<boolean> {
    return await this.#skipWs() === -1;
  }

  async expect(ch: string, what: string): Promise<void> {
    if (!await this.tryPunct(ch)) this.fail(`expected ${what}`);
  }

  async tryPunct(ch: string): Promise<boolean> {
    const c = await this.#skipWs();
    if (c !== ch.charCodeAt(0)) return false;
    this.#pos++;
    return true;
  }

  /** The text of the next value (a string only, when `stringOnly`), whole. */
  async value(what: string, stringOnly = false): Promise<string> {
    const c = await this.#skipWs();
    if (c === -1 || (stringOnly && c !== 0x22)) this.fail(`expected ${what}`);
    let start = this.#pos;
    let depth = 0;
    let inString = false;
    let i = start;
    for (;;) {
      const buf = this.#buf;
      for (; i < buf.length; i++) {
        const ch = buf.charCodeAt(i);
        if (inString) {
          // Jump to the next quote; an odd run of backslashes before it escapes it.
          const q = buf.indexOf('"', i);
          if (q < 0) {
            i = buf.length;
            break;
          }
          let b = q - 1;
          while (buf.charCodeAt(b) === 0x5c) b--;
          i = q;
          if ((q - 1 - b) % 2 === 1) continue;
          inString = false;
          if (depth === 0) return this.#take(start, i + 1, what);
        } else if (ch === 0x22) inString = true;
        else if (ch === 0x7b || ch === 0x5b) depth++;
        else if (ch === 0x7d || ch === 0x5d) {
          if (--depth === 0) return this.#take(start, i + 1, what);
          if (depth < 0) return this.#take(start, i, what); // a number etc. before } or ]
        } else if (depth === 0 && (ch === 0x2c || WS.has(ch))) return this.#take(start, i, what);
      }
      if (i - start > MAX_VALUE_CHARS) {
        this.fail(`${what} is longer than ${MAX_VALUE_CHARS} characters (no entry is)`);
      }
      if (!await this.#more(start)) {
        if (depth === 0 && !inString) return this.#take(0, this.#buf.length, what);
        this.fail(`the file ends inside ${what}`);
      }
      i -= start;
      start = 0;
    }
  }

  #take(start: number, end: number, what: string): string {
    if (end === start) this.fail(`expected ${what}`);
    this.#pos = end;
    return this.#buf.slice(start, end);
  }

  /** The next non-space character code (not consumed), or -1 at the end. */
  async #skipWs(): Promise<number> {
    for (;;) {
      while (this.#pos < this.#buf.length) {
        const c = this.#buf.charCodeAt(this.#pos);
        if (!WS.has(c)) return c;
        this.#pos++;
      }
      if (!await this.#more(this.#pos)) return -1;
    }
  }

  /** Reads the next chunk, keeping the text from `keep` on; false at the end of the file. */
  async #more(keep: number): Promise<boolean> {
    if (this.#eof) return false;
    const n = await this.file.read(this.#bytes);
    this.#read += n ?? 0;
    if (this.#read > this.maxBytes) {
      throw new JsonListError(`more than ${this.maxBytes} bytes`, this.#read);
    }
    const text = n === null
      ? (this.#eof = true, this.#decoder.decode())
      : this.#decoder.decode(this.#bytes.subarray(0, n), { stream: true });
    this.#dropped += keep;
    this.#buf = this.#buf.slice(keep) + text;
    this.#pos -= keep;
    return text.length > 0 || !this.#eof;
  }
}
