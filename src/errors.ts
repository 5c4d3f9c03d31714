/**
 * A problem the user can fix in their config or input. The CLI prints each
 * of its `lines` (usually one; a config file with several mistakes gives one
 * line per mistake) and exits with code 2; it never shows a stack trace.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** One line per problem; the message is these joined by newlines. */
  readonly lines: readonly string[];

  constructor(message: string | readonly string[], options?: ErrorOptions) {
    const lines = typeof message === "string" ? [message] : [...message];
    super(lines.join("\n"), options);
    this.lines = Object.freeze(lines);
  }
}

/**
 * A failure of one scan target (an account x region). It carries a short,
 * stable `code` (an AWS error code or one of ours) for logs, the status page
 * and reports.
 */
export class TargetError extends Error {
  override name = "TargetError";
  constructor(readonly code: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Thrown by a source to ask the runner to start a target again from its first
 * page, discarding what it counted so far (for example when AWS expired the
 * pagination token).
 */
export class RestartTarget extends Error {
  override name = "RestartTarget";
}

/** A short reason for a file-system error, without a stack trace. */
export function describeFsError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.FilesystemLoop) return "a symlink loop";
  if (needsAllAccess(e)) {
    return "Deno opens it only with --allow-all, which no task or release binary has (name a regular file)";
  }
  if (e instanceof Deno.errors.NotCapable) {
    return "this task's Deno permissions do not cover this path (see docs/security.md; run the binary, or widen the task's --allow-read/--allow-write)";
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * Whether `e` is Deno refusing a path that only `--allow-all` opens (most of
 * `/dev` and `/proc`: a terminal, `/dev/full`, `/dev/stdin`), whatever
 * `--allow-read` and `--allow-write` grant. Deno says so only in its words.
 */
export function needsAllAccess(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable && /^Requires all access\b/.test(e.message);
}

/** A failure as outputs show it: a short stable code and one line of text. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/**
 * A stable code and one-line message (cut to `MAX_ERROR_MESSAGE` characters)
 * for any error: a `TargetError`'s own code, else the error's class name,
 * else `Error`.
 *
 * @example
 * describeError(new TargetError("AccessDenied", "AssumeRole denied")); // {code: "AccessDenied", ...}
 */
export function describeError(e: unknown): ErrorInfo {
  if (e instanceof TargetError) return { code: e.code, message: cutText(e.message) };
  if (e instanceof Error) {
    const code = e.name && e.name !== "Error" ? e.name : "Error";
    return { code, message: cutText(e.message.split("\n")[0]) };
  }
  return { code: "Error", message: cutText(String(e)) };
}

/** The longest error message kept in a result, a log line, `/health` or `/`. */
export const MAX_ERROR_MESSAGE = 1000;

/**
 * `text` cut to at most `max` characters, ending in "…" when cut, so a huge
 * message (an endpoint answering 2 MB of text) cannot flood logs and pages.
 *
 * @example
 * cutText("x".repeat(5000), 10); // "xxxxxxxxx…"
 */
export function cutText(text: string, max = MAX_ERROR_MESSAGE): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair (an emoji) in two.
  const end = /[\uD800-\uDBFF]/.test(text[max - 2]) ? max - 2 : max - 1;
  return text.slice(0, end) + "…";
}
