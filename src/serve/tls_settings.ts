/**
 * The TLS settings of the web config (`tls_server_config`) that serve
 * supports, and the client-certificate policy they mean.
 *
 * @module
 */

/** exporter-toolkit's `client_auth_type` values (Go's `tls.ClientAuthType` names). */
export const CLIENT_AUTH_TYPES = [
  "NoClientCert",
  "RequestClientCert",
  "RequireAnyClientCert",
  "VerifyClientCertIfGiven",
  "RequireAndVerifyClientCert",
] as const;

export type ClientAuthType = typeof CLIENT_AUTH_TYPES[number];

/** The `client_auth_type` values that check a certificate against `client_ca_file`. */
export const VERIFYING: readonly ClientAuthType[] = [
  "VerifyClientCertIfGiven",
  "RequireAndVerifyClientCert",
];

/** `min_version`: rustls, under both Deno's TLS and node:tls, speaks TLS 1.2 and 1.3 only. */
export type TlsVersion = "TLS12" | "TLS13";

/** A certificate, its key and the client-certificate policy, read and checked. */
export interface WebTls {
  /** PEM text of the certificate chain and key, and their files. */
  readonly cert: string;
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientAuth: ClientAuthType;
  /** PEM CA certificates that sign the clients' certificates, and their file; null when unset. */
  readonly clientCa: string | null;
  readonly clientCaFile: string | null;
  readonly minVersion: TlsVersion;
}

/**
 * Whether `Deno.listenTls` can serve `tls`: it cannot ask for client
 * certificates nor refuse TLS 1.2, so anything but `NoClientCert` and
 * `TLS12` goes through node:tls (see `client_tls.ts`).
 */
export function needsNodeTls(tls: Pick<WebTls, "clientAuth" | "minVersion">): boolean {
  return tls.clientAuth !== "NoClientCert" || tls.minVersion !== "TLS12";
}

/** What a finished handshake showed about the client's certificate. */
export interface PeerCertificate {
  /** The client sent a certificate. */
  readonly presented: boolean;
  /** It chains to `client_ca_file` (false when none was sent, or no CA is set). */
  readonly authorized: boolean;
}

/**
 * Go's `tls.ClientAuthType` semantics: null admits the connection, a string
 * says why it is refused. `Request` and `RequireAny` never verify the chain
 * (exporter-toolkit warns they are insecure); the verifying two refuse a
 * certificate that does not chain to `client_ca_file`.
 *
 * @example
 * clientVerdict("RequireAndVerifyClientCert", { presented: false, authorized: false });
 * // "no client certificate"
 */
export function clientVerdict(type: ClientAuthType, peer: PeerCertificate): string | null {
  const required = type === "RequireAnyClientCert" || type === "RequireAndVerifyClientCert";
  if (!peer.presented) return required ? "no client certificate" : null;
  if (VERIFYING.includes(type) && !peer.authorized) {
    return "the client certificate is not signed by client_ca_file";
  }
  return null;
}
