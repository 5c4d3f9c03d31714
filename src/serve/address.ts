/**
 * `host:port` as an address is written in URLs and logs, with an IPv6 host
 * in brackets (RFC 3986): `[::1]:8080`, never the ambiguous `:::8080`.
 *
 * @example
 * hostPort("::", 8080); // "[::]:8080"
 */
export function hostPort(hostname: string, port: number): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
