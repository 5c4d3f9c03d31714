import type { ProxyFields } from "./proxy_env.ts";

/**
 * `fetch` failures as the SDK's retry rules and `awsTargetError` know them:
 * node:http's error codes (`ECONNRESET` is retried, `ECONNREFUSED` is
 * "cannot reach the endpoint"), `ProxyError`, `TlsError` (never retried: a
 * certificate does not change between attempts) and `NetworkError` for the
 * rest.
 *
 * @module
 */

/** Deno's (rustls') words for a failed TLS handshake. */
const TLS_FAILED = /invalid peer certificate|certificate|fatal alert|corrupt message|handshake/i;

/** What to do about a failed handshake, by its words; the last one fits any. */
const TLS_HINTS: readonly (readonly [RegExp, string])[] = [
  [
    /UnknownIssuer|unknown issuer|self[- ]signed/i,
    "no CA it trusts signed the certificate: if a TLS-inspecting proxy or a private CA signs it, " +
    "put that CA's PEM file in DENO_CERT (docs/network.md)",
  ],
  [/not valid for name|NotValidForName/i, "the certificate is for another host name"],
  [
    /expired|NotValidYet|not valid (after|before)/i,
    "the certificate is out of its validity period (check it, and this host's clock)",
  ],
  [
    /corrupt message|InvalidContentType/i,
    "the endpoint does not speak TLS (is endpoint_url https:// to a plain-http port?)",
  ],
  [/./, "the endpoint's certificate or TLS settings were refused"],
];

/** Deno's words for a failed connection -> node:http's code. */
const CODES: readonly (readonly [RegExp, string, string])[] = [
  [/connection refused/i, "ECONNREFUSED", "connect"],
  [
    /dns error|failed to lookup|name or service not known|nodename nor servname/i,
    "ENOTFOUND",
    "getaddrinfo",
  ],
  [/network is unreachable/i, "ENETUNREACH", "connect"],
  [/no route to host/i, "EHOSTUNREACH", "connect"],
  [/timed out/i, "ETIMEDOUT", "connect"],
  // Deno says only "error reading a body from connection" when a peer drops
  // the connection mid-answer, where node:http said ECONNRESET: retried alike.
  [
    /connection closed|connection reset|broken pipe|unexpected eof|incomplete message|error reading a body/i,
    "ECONNRESET",
    "socket",
  ],
];

/** Where a request went: its host name, protocol and port. */
export interface RequestTarget {
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number;
}

/**
 * A `fetch` failure as node:http reports it (`connect ECONNREFUSED
 * host:port`, with `code`), or, for what has no node equivalent, Deno's own
 * words: a failed TLS handshake is a `TlsError` with what to do about it, a
 * proxy that refused the tunnel a `ProxyError`, anything else a
 * `NetworkError`. With a proxy set, the message names it (the proxy, not
 * the endpoint, may be what failed).
 *
 * @example
 * networkError(e, { protocol: "https:", hostname: "sts.amazonaws.com" }, null).name; // "TlsError"
 */
export function networkError(e: unknown, r: RequestTarget, proxy: ProxyFields | null): Error {
  const words = causeText(e);
  const where = `${r.hostname}${r.port ? `:${r.port}` : ""}`;
  const via = proxy === null ? "" : ` (${proxyNote(proxy, r.protocol)})`;
  if (TLS_FAILED.test(words)) {
    const reason = words.replace(/^error sending request for url \([^)]*\): /, "")
      .replace(/^client error \(Connect\): /, "");
    const hint = TLS_HINTS.find(([re]) => re.test(reason))![1];
    return named("TlsError", `no TLS connection to ${where}: ${reason}${via}; ${hint}`, e);
  }
  if (/tunnel|proxy/i.test(words)) {
    return named("ProxyError", `the proxy did not reach ${where}: ${words}${via}`, e);
  }
  for (const [re, code, op] of CODES) {
    if (re.test(words)) {
      const at = op === "getaddrinfo" ? r.hostname : where;
      return Object.assign(new Error(`${op} ${code} ${at}${via}`, { cause: e }), { code });
    }
  }
  return named("NetworkError", `request to ${where} failed: ${words}${via}`, e);
}

function named(name: string, message: string, cause: unknown): Error {
  const err = new Error(message, { cause });
  err.name = name;
  return err;
}

/** `through the proxy http://proxy:3128 unless NO_PROXY matches`, for the request's scheme. */
function proxyNote(proxy: ProxyFields, protocol: string): string {
  const url = (protocol === "https:" ? proxy.https_proxy : proxy.http_proxy) ?? proxy.all_proxy;
  if (url === undefined) return "no proxy for this scheme";
  return `through the proxy ${url} unless NO_PROXY matches`;
}

function causeText(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string } };
  return err?.cause?.message ?? err?.message ?? String(e);
}
