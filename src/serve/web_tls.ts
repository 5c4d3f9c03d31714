import { X509Certificate } from "node:crypto";
import { ConfigError } from "../errors.ts";
import {
  CLIENT_AUTH_TYPES,
  type ClientAuthType,
  type TlsVersion,
  VERIFYING,
} from "./tls_settings.ts";

/** `tls_server_config`'s keys beyond the certificate and key, defaults applied. */
export interface TlsOptions {
  readonly clientAuth: ClientAuthType;
  /** As written (relative to the web config); null when unset. */
  readonly clientCaFile: string | null;
  readonly minVersion: TlsVersion;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Reads `client_auth_type` (default `NoClientCert`), `client_ca_file` and
 * `min_version` (default `TLS12`) of `tls_server_config`, as exporter-toolkit
 * documents them. `fail(where, why)` throws the one-line error. Refused: an
 * unknown auth type or version; `TLS10`/`TLS11` (rustls has neither); a CA
 * file with `NoClientCert`, as exporter-toolkit refuses it; and a verifying
 * type without a CA file (Go would fall back to the system roots, which
 * would let any publicly trusted certificate in).
 */
export function parseTlsOptions(
  t: Record<string, unknown>,
  fail: (where: string, why: string) => never,
): TlsOptions {
  const text = (key: string): string | null => {
    const v = t[key];
    if (v === undefined || v === null) return null;
    if (typeof v === "string" && v.trim() !== "") return v;
    return fail(`tls_server_config.${key}`, ": must be a non-empty string");
  };
  const auth = text("client_auth_type") ?? "NoClientCert";
  if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(auth)) {
    fail(
      "tls_server_config.client_auth_type",
      `: ${JSON.stringify(auth)} is not one of ${CLIENT_AUTH_TYPES.join(", ")}`,
    );
  }
  const clientAuth = auth as ClientAuthType;
  const clientCaFile = text("client_ca_file");
  if (clientCaFile !== null && clientAuth === "NoClientCert") {
    fail(
      "tls_server_config.client_ca_file",
      ": is set but client_auth_type is NoClientCert, so no client certificate is asked for " +
        "(set client_auth_type: RequireAndVerifyClientCert, or remove client_ca_file)",
    );
  }
  if (clientCaFile === null && VERIFYING.includes(clientAuth)) {
    fail(
      "tls_server_config.client_ca_file",
      `: is required with client_auth_type ${clientAuth} (the PEM file of the CA that signs ` +
        "the clients' certificates)",
    );
  }
  return { clientAuth, clientCaFile, minVersion: tlsVersion(text("min_version"), fail) };
}

function tlsVersion(v: string | null, fail: (where: string, why: string) => never): TlsVersion {
  if (v === null || v === "TLS12" || v === "TLS13") return v ?? "TLS12";
  if (v === "TLS10" || v === "TLS11") {
    fail(
      "tls_server_config.min_version",
      `: ${v} is not supported: serve's TLS (rustls) speaks TLS 1.2 and 1.3 only, so TLS12 ` +
        "already refuses older clients (use TLS12 or TLS13)",
    );
  }
  return fail(
    "tls_server_config.min_version",
    `: ${JSON.stringify(v)} is not a TLS version (use TLS12 or TLS13)`,
  );
}

/**
 * Throws a `ConfigError` naming the file unless `pem` holds one or more PEM
 * certificates that parse.
 */
export function checkClientCa(pem: string, file: string, webConfigFile: string): void {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  const fix = `set tls_server_config.client_ca_file in ${webConfigFile} to the PEM CA certificate`;
  if (blocks.length === 0) {
    throw new ConfigError(
      `${file}: no PEM certificate (no "-----BEGIN CERTIFICATE-----" line); ${fix}`,
    );
  }
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split("\n")[0];
      throw new ConfigError(`${file}: certificate ${i + 1} does not parse (${why}); ${fix}`);
    }
  }
}
