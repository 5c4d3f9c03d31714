import bcrypt from "bcryptjs";

/** How long a verified user/password pair is remembered, so scrapes skip bcrypt. */
const CACHE_MS = 60_000;
const CACHE_MAX = 1000;
// A valid hash of a random password: unknown users cost one bcrypt compare too,
// so response time does not reveal which user names exist.
const DUMMY_HASH = "$2a$10$CwTycUXWue0Thq9StjUM0uJ8.pQ4bQx7sVkAe3uIFKqy2ZbfJvSbK";

export interface BasicAuthOptions {
  readonly now?: () => number;
  /** Defaults to bcryptjs; tests may count calls. */
  readonly compare?: (password: string, hash: string) => Promise<boolean>;
}

/**
 * HTTP basic auth against bcrypt hashes, as exporter-toolkit's
 * `basic_auth_users`. bcrypt is deliberately slow (~100 ms at cost 10), so a
 * successful check is cached for a minute under a SHA-256 of the user,
 * password and hash; the password itself is never stored.
 */
export class BasicAuth {
  readonly #users: ReadonlyMap<string, string>;
  readonly #now: () => number;
  readonly #compare: (password: string, hash: string) => Promise<boolean>;
  readonly #cache = new Map<string, number>();

  constructor(users: ReadonlyMap<string, string>, opts: BasicAuthOptions = {}) {
    this.#users = users;
    this.#now = opts.now ?? Date.now;
    this.#compare = opts.compare ?? ((p, h) => bcrypt.compare(p, h));
  }

  /** True when the request carries valid credentials. */
  async verify(req: Request): Promise<boolean> {
    const creds = parseBasic(req.headers.get("authorization"));
    if (creds === null) return false;
    const hash = this.#users.get(creds.user);
    const key = await digest(`${creds.user}\0${creds.password}\0${hash ?? ""}`);
    const now = this.#now();
    const until = this.#cache.get(key);
    if (hash !== undefined && until !== undefined && until > now) return true;
    const ok = await this.#compare(creds.password, hash ?? DUMMY_HASH) && hash !== undefined;
    if (ok) {
      if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
      this.#cache.set(key, now + CACHE_MS);
    }
    return ok;
  }
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
