import { cutText, TargetError } from "../errors.ts";

/** The most of AWS's (or an endpoint's) own words an error keeps. */
export const MAX_AWS_MESSAGE = 500;

/** Node's codes for a connection that could not be made at all. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);

/**
 * Turns an SDK error into a `TargetError` whose code is the AWS error name
 * (`AccessDenied`, `ThrottledException`, ...) and whose message is one line:
 * what was attempted, how it ended, and AWS's own words (cut to
 * `MAX_AWS_MESSAGE` characters), e.g.
 * `AssumeRole arn:aws:iam::111111111111:role/x denied: User: ... is not authorized ...`.
 * Two failures that are not AWS's have codes of their own: `InvalidResponse`
 * for an answer the SDK could not parse (truncated JSON or XML, an HTML page
 * from a proxy) and `EndpointUnreachable` for a connection refused or a name
 * that does not resolve; the handler's own (`TlsError`, `ProxyError`,
 * `NetworkError`, see `networkError`) keep their names. A `TargetError`
 * passes through unchanged.
 */
export function awsTargetError(e: unknown, what: string): TargetError {
  if (e instanceof TargetError) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { attempts?: number; httpStatusCode?: number };
    $response?: { statusCode?: number };
  };
  const text = (err.message ?? String(e)).split("\n")[0].trim();
  const attempts = err.$metadata?.attempts ?? 1;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const said = (code: string, how: string, words: string) =>
    new TargetError(code, `${what} ${how}${tries}: ${cutText(words, MAX_AWS_MESSAGE)}`, {
      cause: e,
    });
  // The SDK's own words for a body it could not parse (its service errors carry $response too).
  if (/\n\s*Deserialization error:/.test(err.message ?? "")) {
    const status = err.$response?.statusCode ?? err.$metadata?.httpStatusCode;
    const answer = status === undefined ? "an answer" : `an HTTP ${status} answer`;
    return said("InvalidResponse", "failed", `${answer} it could not parse (${text})`);
  }
  if (err.code !== undefined && UNREACHABLE.has(err.code)) {
    return said("EndpointUnreachable", "failed", `cannot reach the endpoint (${text})`);
  }
  const code = err.name && err.name !== "Error" ? err.name : "Error";
  const verb = /denied|unauthori[sz]ed|forbidden/i.test(code) ? "denied" : "failed";
  return said(code, verb, text || code);
}
