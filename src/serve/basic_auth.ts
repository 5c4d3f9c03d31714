import bcrypt from "bcryptjs";

/**
 * How long a verified user/password pair is remembered after its last use,
 * so scrapes skip bcrypt: each hit renews it, so a scraper or probe that keeps
 * coming never has to wait in the bcrypt queue again.
 */
const CACHE_MS = 60_000;
/** How long a rejected pair is remembered, so repeating it costs no bcrypt. */
const FAILURE_CACHE_MS = 10_000;
const CACHE_MAX = 1000;
/** bcrypt compares at once: on a 2-core pod, leave a core for /metrics and /livez. */
const MAX_COMPARES = 1;
/** Compares that may wait for a slot; beyond it a new credential gets "busy" (503) at once. */
const MAX_WAITING = 8;
/** bcrypt's cost when no hash names one. */
const DEFAULT_COST = 10;
const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A request's verdict: `ok`; `denied` (401: no or wrong credentials); or
 * `busy` (503: too many bcrypt compares queued to check a new credential
 * now; the credential may well be right, so the client should retry).
 */
export type AuthVerdict = "ok" | "denied" | "busy";

export interface BasicAuthOptions {
  readonly now?: () => number;
  /** Defaults to bcryptjs; tests may count calls. */
  readonly compare?: (password: string, hash: string) => Promise<boolean>;
}

/**
 * HTTP basic auth against bcrypt hashes, as exporter-toolkit's
 * `basic_auth_users`. bcrypt is deliberately slow (~100 ms of CPU at cost
 * 10), so a flood of bad credentials must not starve the other requests
 * (/livez above all): every verdict is cached under a SHA-256 of the user,
 * password and hash (a success for a minute after its last use, a failure for
 * 10 s; the password itself is never stored), only one compare runs at a
 * time, and when too many wait for it a new credential is answered `busy` at
 * once, so a client can tell overload from bad credentials.
 */
export class BasicAuth {
  readonly #users: ReadonlyMap<string, string>;
  readonly #now: () => number;
  readonly #compare: (password: string, hash: string) => Promise<boolean>;
  // Apart, so a flood of failures cannot push a scraper's success out.
  readonly #passed = new VerdictCache(CACHE_MAX);
  readonly #failed = new VerdictCache(CACHE_MAX);
  #comparing = 0;
  readonly #waiting: (() => void)[] = [];
  /** What an unknown user is compared against (see `dummyHash`). */
  readonly #dummy: string;

  constructor(users: ReadonlyMap<string, string>, opts: BasicAuthOptions = {}) {
    this.#users = users;
    this.#dummy = dummyHash(users.values());
    this.#now = opts.now ?? Date.now;
    this.#compare = opts.compare ?? ((p, h) => bcrypt.compare(p, h));
  }

  /** bcrypt compares running or waiting for a slot. */
  get pending(): number {
    return this.#comparing + this.#waiting.length;
  }

  /** Whether the request carries valid credentials, or cannot be checked now. */
  async verify(req: Request): Promise<AuthVerdict> {
    const creds = parseBasic(req.headers.get("authorization"));
    if (creds === null) return "denied";
    const hash = this.#users.get(creds.user);
    const key = await digest(`${creds.user}\0${creds.password}\0${hash ?? ""}`);
    const now = this.#now();
    if (this.#passed.has(key, now)) {
      this.#passed.add(key, now + CACHE_MS);
      return "ok";
    }
    if (this.#failed.has(key, now)) return "denied";
    if (this.#comparing >= MAX_COMPARES && this.#waiting.length >= MAX_WAITING) return "busy";
    const ok = await this.#limited(() => this.#compare(creds.password, hash ?? this.#dummy)) &&
      hash !== undefined;
    if (ok) this.#passed.add(key, this.#now() + CACHE_MS);
    else this.#failed.add(key, this.#now() + FAILURE_CACHE_MS);
    return ok ? "ok" : "denied";
  }

  /** Runs `fn` when fewer than MAX_COMPARES run, in arrival order. */
  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#comparing >= MAX_COMPARES) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#comparing++;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#comparing--;
    }
  }
}

/**
 * Keys with an expiry; when full, the least recently added or renewed entry
 * makes room (a flood cannot flush it all, and a key in use stays).
 */
class VerdictCache {
  readonly #until = new Map<string, number>();
  constructor(readonly max: number) {}

  has(key: string, now: number): boolean {
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#until.delete(key);
    return false;
  }

  add(key: string, until: number): void {
    this.#until.delete(key);
    if (this.#until.size >= this.max) this.#until.delete(this.#until.keys().next().value!);
    this.#until.set(key, until);
  }
}

/**
 * A bcrypt hash of no password, with the highest cost among `hashes`: an
 * unknown user costs one compare as slow as the slowest real one, so response
 * time does not reveal which user names exist (a cost-10 dummy answered an
 * unknown name in a quarter of the time of a cost-12 user). Random salt and
 * digest: no password matches it, and none needs to be hashed to make it.
 */
export function dummyHash(hashes: Iterable<string>): string {
  let cost = DEFAULT_COST;
  for (const hash of hashes) {
    const m = /^\$2[abxy]?\$(\d{2})\$/.exec(hash);
    if (m) cost = Math.max(cost, Number(m[1]));
  }
  const random = crypto.getRandomValues(new Uint8Array(53));
  const tail = Array.from(random, (b) => BCRYPT_ALPHABET[b & 63]).join("");
  return `$2b$${String(cost).padStart(2, "0")}$${tail}`;
}

/** The 503 answer when too many credentials wait for bcrypt: retry shortly. */
export function overloaded(): Response {
  return new Response("Service Unavailable: too many credentials to check; retry\n", {
    status: 503,
    headers: { "retry-after": "1", "content-type": "text/plain; charset=utf-8" },
  });
}

/** The 401 answer, asking the client for basic credentials. */
export function unauthorized(): Response {
  return new Response("Unauthorized\n", {
    status: 401,
    headers: {
      "www-authenticate": 'Basic realm="aws-tag-exporter", charset="UTF-8"',
      "content-type": "text/plain; charset=utf-8",
    },
  });
}

function parseBasic(header: string | null): { user: string; password: string } | null {
  const m = header === null ? null : /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

async function digest(s: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)),
  );
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
