/**
 * The proxy variables every AWS call honours, in the precedence Deno's
 * `fetch` (which sends them, see `FetchHandler`) reads them: upper case,
 * then lower case. `NO_PROXY` lists hosts, domains (`example.com` also
 * matches its subdomains), IP addresses and CIDR ranges to reach directly.
 */
export const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
] as const;

/** The proxy settings in effect, as a log line's fields; null when no proxy is set. */
export interface ProxyFields {
  https_proxy?: string;
  http_proxy?: string;
  all_proxy?: string;
  no_proxy?: string;
}

/**
 * The proxy settings found in the environment, each proxy URL without its
 * user and password (a proxy's credentials never reach a log), or null when
 * none of `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` is set. `env` returns
 * undefined for a variable the process may not read.
 *
 * @example
 * proxyFields((n) => ({ HTTPS_PROXY: "http://u:p@proxy:3128" })[n]);
 * // {https_proxy: "http://proxy:3128"}
 */
export function proxyFields(env: (name: string) => string | undefined): ProxyFields | null {
  const read = (name: string) => env(name) || env(name.toLowerCase()) || undefined;
  const fields: ProxyFields = {};
  for (const name of ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"] as const) {
    const value = read(name);
    if (value !== undefined) fields[name.toLowerCase() as keyof ProxyFields] = redactProxy(value);
  }
  if (Object.keys(fields).length === 0) return null;
  const noProxy = read("NO_PROXY");
  return noProxy === undefined ? fields : { ...fields, no_proxy: noProxy };
}

/**
 * A proxy URL without `user:password@` (also for `host:port` without a
 * scheme). Everything up to the last `@` goes: URL parsers (and so `fetch`)
 * take the last one as the end of the user part, so a password with a raw
 * `@` or `/` in it is dropped whole, never cut at its first `@` or `/`.
 */
export function redactProxy(value: string): string {
  return value.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^]*@/i, "$1");
}

/** Reads a variable, or undefined where the process may not (`--allow-env` lists). */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
