/**
 * The little of HTTP/1.1 that `serve` speaks (RFC 9112): request heads of
 * GET and HEAD requests in, responses out. Request bodies are never read: a
 * request that has one is answered and its connection closed.
 *
 * @module
 */

/** The longest request head (request line and headers) accepted. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** What `HeadReader.next` returns for a head longer than `MAX_HEAD_BYTES`. */
export const TOO_LARGE = Symbol("too large");
const latin1 = new TextDecoder("latin1");

/** A parsed request head. */
export interface RequestHead {
  readonly method: string;
  /** The request target: origin form (`/metrics?x`) or absolute form. */
  readonly target: string;
  readonly headers: Headers;
  /** Whether the client keeps the connection for another request. */
  readonly keepAlive: boolean;
  /** Whether a body follows (Content-Length > 0 or Transfer-Encoding). */
  readonly hasBody: boolean;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/;
const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};
/** Headers that belong to one connection, so the server writes its own. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade"]);

/**
 * Parses a request head (without its final empty line), as Latin-1 text.
 * Returns the status to answer instead when it is not a request we read:
 * 400 for a malformed head, 505 for a version other than HTTP/1.0 or 1.1.
 *
 * @example
 * parseHead("GET /metrics HTTP/1.1\r\nHost: x"); // {method: "GET", target: "/metrics", ...}
 */
export function parseHead(text: string): RequestHead | { readonly status: 400 | 505 } {
  const lines = text.split("\r\n");
  const m = REQUEST_LINE.exec(lines[0]);
  if (m === null) {
    return { status: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d$/.test(lines[0]) ? 505 : 400 };
  }
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    if (colon <= 0 || !TOKEN.test(name)) return { status: 400 }; // obs-fold included
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch {
      return { status: 400 };
    }
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const length = headers.get("content-length");
  if (length !== null && !/^\d+$/.test(length)) return { status: 400 };
  const http10 = m[3] === "0";
  return {
    method: m[1],
    target: m[2],
    headers,
    keepAlive: http10 ? /\bkeep-alive\b/.test(connection) : !/\bclose\b/.test(connection),
    hasBody: headers.has("transfer-encoding") || (length !== null && Number(length) > 0),
  };
}

/**
 * The status line and headers of `res` for the wire: the handler's headers
 * without hop-by-hop ones, then `date`, `content-length` (`length`), and
 * `connection: close` when the connection ends after this response.
 */
export function responseHead(res: Response, length: number, keepAlive: boolean): string {
  const lines = [`HTTP/1.1 ${res.status} ${REASONS[res.status] ?? res.statusText ?? ""}`];
  res.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== "content-length" && name !== "date") {
      lines.push(`${name}: ${value}`);
    }
  });
  lines.push(`date: ${new Date().toUTCString()}`, `content-length: ${length}`);
  if (!keepAlive) lines.push("connection: close");
  return lines.join("\r\n") + "\r\n\r\n";
}

/** A small plain-text answer for a request the server itself refuses (400, 431, 505). */
export function refusal(status: 400 | 431 | 505): Response {
  return new Response(`${REASONS[status]}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** Reads request heads off a connection, keeping what follows one (a pipelined request). */
export class HeadReader {
  #buf = new Uint8Array(0);
  constructor(readonly conn: { read(p: Uint8Array): Promise<number | null> }) {}

  /** The next head's text; `TOO_LARGE` past `MAX_HEAD_BYTES`; null at the end. */
  async next(): Promise<string | typeof TOO_LARGE | null> {
    const chunk = new Uint8Array(4096);
    for (;;) {
      // Empty lines before a request line are ignored (RFC 9112, 2.2).
      let start = 0;
      while (this.#buf[start] === 13 && this.#buf[start + 1] === 10) start += 2;
      if (start > 0) this.#buf = this.#buf.slice(start);
      const end = indexOfBlankLine(this.#buf);
      if (end > MAX_HEAD_BYTES) return TOO_LARGE;
      if (end >= 0) {
        const text = latin1.decode(this.#buf.subarray(0, end));
        this.#buf = this.#buf.slice(end + 4);
        return text;
      }
      if (this.#buf.length > MAX_HEAD_BYTES) return TOO_LARGE;
      const n = await this.conn.read(chunk);
      if (n === null) return null;
      const grown = new Uint8Array(this.#buf.length + n);
      grown.set(this.#buf);
      grown.set(chunk.subarray(0, n), this.#buf.length);
      this.#buf = grown;
    }
  }
}

function indexOfBlankLine(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}
