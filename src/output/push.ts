/**
 * Push mode: sends one scan's exposition to a Prometheus Pushgateway, for
 * batch runs (cron, CI) that Prometheus cannot scrape.
 *
 * @module
 */

/** Options of `pushMetrics`. */
export interface PushOptions {
  /** Give up after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Cancels the push. */
  readonly signal?: AbortSignal;
  /** Extra request headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const DEFAULT_TIMEOUT_MS = 30_000;
const BODY_EXCERPT = 200;

/**
 * Pushes text-format metrics to a Pushgateway with PUT semantics: the whole
 * group `{job, ...groupingLabels}` is replaced, so series that vanished from
 * this scan vanish from the gateway too. Throws an `Error` with a one-line
 * message (the status and an excerpt of the gateway's answer, or the network
 * error) when the push fails; the CLI maps it to exit code 1.
 *
 * @example
 * await pushMetrics("http://pushgateway:9091", "aws_tag_compliance", { shard: "0" }, chunks);
 */
export async function pushMetrics(
  url: string,
  job: string,
  groupingLabels: Readonly<Record<string, string>>,
  chunks: AsyncIterable<string> | Iterable<string>,
  opts: PushOptions = {},
): Promise<void> {
  const target = pushUrl(url, job, groupingLabels);
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${timeoutMs / 1000}s`)),
    timeoutMs,
  );
  const onAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const where = target;
  try {
    // The body is built in memory: a chunked upload of a detail-heavy scan
    // would be cut off if the gateway answers an error early.
    let body = "";
    for await (const chunk of chunks) body += chunk;
    let res: Response;
    try {
      res = await fetch(target, {
        method: "PUT",
        headers: { ...basicAuth(url), ...opts.headers, "content-type": CONTENT_TYPE },
        body,
        signal: controller.signal,
      });
    } catch (e) {
      const reason = controller.signal.aborted ? controller.signal.reason : e;
      throw new Error(`push to ${where} failed: ${oneLine(messageOf(reason))}`, { cause: e });
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) {
      const excerpt = oneLine(text).slice(0, BODY_EXCERPT);
      throw new Error(
        `push to ${where} failed: HTTP ${res.status} ${res.statusText}` +
          (excerpt ? `: ${excerpt}` : ""),
      );
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The Pushgateway URL of a group: `{url}/metrics/job/{job}{/label/value...}`.
 * Values that contain `/` or are empty use the gateway's `@base64` form (the
 * path cannot carry a `/` even percent-encoded); others are percent-encoded.
 * Credentials in `url` are left out (`pushMetrics` sends them as a header).
 * Throws a `TypeError` for a bad URL, job or label name.
 *
 * @example
 * pushUrl("http://pg:9091/", "scan", { team: "a/b" });
 * // "http://pg:9091/metrics/job/scan/team@base64/YS9i"
 */
export function pushUrl(
  url: string,
  job: string,
  groupingLabels: Readonly<Record<string, string>> = {},
): string {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError(
      `push URL ${JSON.stringify(redact(url))} is not a URL (e.g. http://pushgateway:9091)`,
    );
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TypeError(`push URL ${JSON.stringify(redact(url))} must be http:// or https://`);
  }
  if (base.search || base.hash) {
    throw new TypeError(
      `push URL ${JSON.stringify(redact(url))} must not have a query or fragment`,
    );
  }
  if (base.pathname.includes("@")) {
    // "http://user:pa/ss@host" parses as host "user", port "pa", path "/ss@host".
    throw new TypeError(
      `push URL ${JSON.stringify(redact(url))} has "@" after its host: percent-encode ` +
        `"/" and "@" in the user name and password (%2F, %40)`,
    );
  }
  if (/\/metrics(\/|$)/.test(base.pathname)) {
    throw new TypeError(
      `push URL ${
        JSON.stringify(redact(url))
      } must be the gateway's base URL (e.g. http://pushgateway:9091); ` +
        `the /metrics/job/... path is built from --push-job and --push-label`,
    );
  }
  if (job === "") throw new TypeError("push job name is empty (give e.g. aws_tag_compliance)");
  let path = base.pathname.replace(/\/+$/, "") + "/metrics/" + segment("job", job);
  for (const [name, value] of Object.entries(groupingLabels)) {
    if (!LABEL_NAME_RE.test(name) || name.startsWith("__")) {
      throw new TypeError(`push label name ${JSON.stringify(name)} is not a Prometheus label name`);
    }
    if (name === "job") {
      throw new TypeError(`push label "job" clashes with the job name (set it with the job)`);
    }
    path += "/" + segment(name, value);
  }
  return `${base.origin}${path}`;
}

/**
 * Parses a `--push-label NAME=VALUE` flag. Throws a `TypeError` with a
 * one-line message when it is not `NAME=VALUE` or the name is not a label
 * name. The value may be empty and may contain `=`.
 *
 * @example
 * parsePushLabel("shard=0"); // ["shard", "0"]
 */
export function parsePushLabel(spec: string): [string, string] {
  const eq = spec.indexOf("=");
  const name = eq < 0 ? spec : spec.slice(0, eq);
  if (eq < 0 || !LABEL_NAME_RE.test(name) || name.startsWith("__") || name === "job") {
    throw new TypeError(
      `--push-label ${JSON.stringify(spec)} is not NAME=VALUE with a label name other than job ` +
        `(e.g. shard=0)`,
    );
  }
  return [name, spec.slice(eq + 1)];
}

/**
 * The URL with everything before its last `@` (after the scheme) replaced, for
 * messages. It does not rely on parsing: a password with an unencoded `/` or
 * `@` is what makes a URL unparsable or misparsed in the first place.
 */
function redact(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? "";
  const at = url.lastIndexOf("@");
  return at < scheme.length ? url : `${scheme}***${url.slice(at)}`;
}

function segment(name: string, value: string): string {
  if (value === "" || value.includes("/")) return `${name}@base64/${base64url(value)}`;
  return `${name}/${encodeURIComponent(value)}`;
}

function base64url(text: string): string {
  if (text === "") return "=";
  return base64(text).replaceAll("+", "-").replaceAll("/", "_");
}

function base64(text: string): string {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(""));
}

/** `http://user:pass@host` becomes a header: fetch refuses URLs with credentials. */
function basicAuth(url: string): Record<string, string> {
  const u = new URL(url);
  if (!u.username && !u.password) return {};
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return { authorization: `Basic ${base64(pair)}` };
}

/** The most specific message: fetch says only "fetch failed", its cause says why. */
function messageOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : "";
  return cause ? cause.replace(/^error sending request for url \([^)]*\): /, "") : e.message;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
