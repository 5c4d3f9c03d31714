import { RestartTarget, TargetError } from "../errors.ts";
import type { MiddlewareStackLike } from "./middleware.ts";

/** Shown instead of a secret. */
export const REDACTED = "[redacted]";
/** Shorter values are not secrets worth a search (and would garble every message). */
const MIN_LENGTH = 4;

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
  readonly #values = new Set<string>();

  /** Remembers values; empty, short or missing ones are ignored. */
  add(...values: (string | null | undefined)[]): void {
    for (const v of values) if (v && v.length >= MIN_LENGTH) this.#values.add(v);
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const v of this.#values) if (out.includes(v)) out = out.replaceAll(v, REDACTED);
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
   * SDK signs it.
   */
  install(stack: MiddlewareStackLike): void {
    stack.addRelativeTo(
      (next: (args: { request?: unknown }) => Promise<unknown>) =>
      (
        args: { request?: unknown },
      ) => {
        const headers = (args.request as { headers?: Record<string, string> } | undefined)
          ?.headers;
        this.add(headers?.["x-amz-security-token"]);
        return next(args);
      },
      { relation: "after", toMiddleware: "httpSigningMiddleware", name: "awsTagExporterSecrets" },
    );
  }
}
