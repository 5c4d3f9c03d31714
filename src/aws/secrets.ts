import { RestartTarget, TargetError } from "../errors.ts";
import type { MiddlewareStackLike } from "./middleware.ts";

/** Shown instead of a secret. */
export const REDACTED = "[redacted]";
/** Shorter values are not secrets worth a search (and would garble every message). */
const MIN_LENGTH = 4;
/**
 * How long a session's values are kept past its expiry, and a token learned
 * from a signed request past its last use: far longer than any answer to a
 * request signed with it can take to arrive.
 */
const KEEP_AFTER_MS = 60 * 60_000;
/** Forgotten values are swept out at most this often (ms). */
const SWEEP_EVERY_MS = 60_000;

/**
 * The secret values a source knows (secret access keys, session tokens,
 * external ids), so they can be cut out of any error text before it is
 * stored or logged. AWS never echoes them, but a proxy or emulator in front
 * of it may put the request's `X-Amz-Security-Token` or `ExternalId` into
 * its error message, which would then reach logs, `/health` and `/`.
 *
 * @example
 * const secrets = new SecretSet();
 * secrets.add(session.secretAccessKey, session.sessionToken, account.externalId);
 * secrets.redact(`denied for token ${session.sessionToken}`); // "denied for token [redacted]"
 */
export class SecretSet {
  /** Each value, and when it may be forgotten (ms; Infinity: never). */
  readonly #values = new Map<string, number>();
  #nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers values for good (external ids); empty, short or missing ones are ignored. */
  add(...values: (string | null | undefined)[]): void {
    this.#keep(values, Infinity);
  }

  /**
   * Remembers a session's values until an hour past `expiration`: a server
   * that refreshes every account's session hourly for weeks keeps the
   * current and the previous ones, not every one it ever had.
   */
  addSession(expiration: Date, ...values: (string | null | undefined)[]): void {
    this.#keep(values, expiration.getTime() + KEEP_AFTER_MS);
  }

  /** How many values are kept. */
  get size(): number {
    return this.#values.size;
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const v of this.#values.keys()) if (out.includes(v)) out = out.replaceAll(v, REDACTED);
    return out;
  }

  /**
   * The same failure with its text redacted: a `TargetError` keeps its code,
   * a `RestartTarget` stays one, and anything else becomes a `TargetError`
   * with its class name as the code, as `describeError` would show it.
   */
  scrub(e: unknown): unknown {
    if (e instanceof RestartTarget) return new RestartTarget(this.redact(e.message));
    if (e instanceof TargetError) {
      return new TargetError(e.code, this.redact(e.message), { cause: e.cause });
    }
    if (e instanceof Error) {
      const code = e.name && e.name !== "Error" ? e.name : "Error";
      return new TargetError(code, this.redact(e.message));
    }
    return new TargetError("Error", this.redact(String(e)));
  }

  /**
   * Adds middleware that learns the session token of every signed request
   * (the base credentials' too, when they are temporary), right after the
   * SDK signs it, until an hour after its last use.
   */
  install(stack: MiddlewareStackLike): void {
    stack.addRelativeTo(
      (next: (args: { request?: unknown }) => Promise<unknown>) =>
      (
        args: { request?: unknown },
      ) => {
        const headers = (args.request as { headers?: Record<string, string> } | undefined)
          ?.headers;
        this.#keep([headers?.["x-amz-security-token"]], this.now() + KEEP_AFTER_MS);
        return next(args);
      },
      { relation: "after", toMiddleware: "httpSigningMiddleware", name: "awsTagExporterSecrets" },
    );
  }

  #keep(values: readonly (string | null | undefined)[], until: number): void {
    for (const v of values) {
      if (v && v.length >= MIN_LENGTH) {
        this.#values.set(v, Math.max(until, this.#values.get(v) ?? -Infinity));
      }
    }
    const now = this.now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_EVERY_MS;
    for (const [v, forgetAt] of this.#values) if (forgetAt < now) this.#values.delete(v);
  }
}
