import { dirname, isAbsolute, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { MAX_CONFIG_BYTES, readTextFile } from "../text_file.ts";
import { ConfigError } from "../errors.ts";
import { checkClientCa, parseTlsOptions, type TlsOptions } from "./web_tls.ts";
import type { WebTls } from "./tls_settings.ts";

/**
 * The subset of the Prometheus exporter-toolkit web configuration file
 * (`--web-config`) that serve supports: TLS with a certificate and key,
 * client certificates (`client_auth_type`, `client_ca_file`), `min_version`,
 * and HTTP basic auth with bcrypt hashes. Any other key is an error, so a
 * protection the operator asked for is never silently ignored.
 */
export interface WebConfig {
  /** The certificate, key and client policy; null serves plain HTTP. */
  readonly tls: WebTls | null;
  /** User name -> bcrypt hash; empty means no authentication. */
  readonly users: ReadonlyMap<string, string>;
}

/** The web config's TLS section as written: files unread, relative paths unresolved. */
export type TlsFiles = { readonly certFile: string; readonly keyFile: string } & TlsOptions;

const TOP_KEYS = ["tls_server_config", "basic_auth_users"];
const TLS_KEYS = [
  "cert_file",
  "key_file",
  "client_auth_type",
  "client_ca_file",
  "min_version",
];
const BCRYPT_RE = /^\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

const CERT_MARKER = "-----BEGIN CERTIFICATE-----";
const KEY_RE = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

/**
 * Reads and validates a web config file. Relative `cert_file`, `key_file`
 * and `client_ca_file` paths are resolved from the web config's directory,
 * as exporter-toolkit does. Every problem is a one-line `ConfigError` naming
 * the key, or the file when a certificate or key file holds no PEM block of
 * its kind (Deno would otherwise fail at startup with a message that names
 * neither) or a CA file no certificate.
 */
export async function loadWebConfig(path: string): Promise<WebConfig> {
  const text = await readTextFile(path, "web config", "check --web-config", MAX_CONFIG_BYTES);
  const parsed = parseWebConfig(text, path);
  if (parsed.tls === null) return { tls: null, users: parsed.users };
  const { clientAuth, minVersion } = parsed.tls;
  const resolve = (p: string) => isAbsolute(p) ? p : join(dirname(path), p);
  const read = (file: string, what: string) =>
    readTextFile(file, what, `check ${path}`, MAX_CONFIG_BYTES);
  const certFile = resolve(parsed.tls.certFile);
  const keyFile = resolve(parsed.tls.keyFile);
  const cert = await read(certFile, "TLS certificate");
  const key = await read(keyFile, "TLS key");
  checkPem({ cert, key, certFile, keyFile }, path);
  const clientCaFile = parsed.tls.clientCaFile === null ? null : resolve(parsed.tls.clientCaFile);
  const clientCa = clientCaFile === null ? null : await read(clientCaFile, "client CA file");
  if (clientCa !== null) checkClientCa(clientCa, clientCaFile!, path);
  const tls = { cert, key, certFile, keyFile, clientAuth, clientCa, clientCaFile, minVersion };
  return { tls, users: parsed.users };
}

/**
 * Throws a `ConfigError` naming the file when the certificate file has no
 * `-----BEGIN CERTIFICATE-----` block or the key file no
 * `-----BEGIN ... PRIVATE KEY-----` block (a swapped pair, a DER file, or an
 * empty one).
 */
export function checkPem(
  tls: { cert: string; key: string; certFile: string; keyFile: string },
  webConfigFile: string,
): void {
  if (!tls.cert.includes(CERT_MARKER)) {
    throw new ConfigError(
      `${tls.certFile}: no PEM certificate (no "${CERT_MARKER}" line); set ` +
        `tls_server_config.cert_file in ${webConfigFile} to the PEM certificate chain` +
        (KEY_RE.test(tls.cert)
          ? " (this file holds a private key: are cert_file and key_file swapped?)"
          : ""),
    );
  }
  if (!KEY_RE.test(tls.key)) {
    throw new ConfigError(
      `${tls.keyFile}: no PEM private key (no "-----BEGIN ... PRIVATE KEY-----" line); set ` +
        `tls_server_config.key_file in ${webConfigFile} to the unencrypted PEM private key` +
        (tls.key.includes(CERT_MARKER)
          ? " (this file holds a certificate: are cert_file and key_file swapped?)"
          : ""),
    );
  }
}

/** Parses web config text; file paths are returned unread. */
export function parseWebConfig(text: string, file: string): {
  tls: TlsFiles | null;
  users: Map<string, string>;
} {
  const fail = (where: string, why: string): never => {
    throw new ConfigError(`${file}: ${where}${why}`);
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    fail("", `is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return { tls: null, users: new Map() };
  const top = mapping(doc, "", fail);
  checkKeys(top, TOP_KEYS, "", fail);
  let tls: TlsFiles | null = null;
  if (top.tls_server_config !== undefined && top.tls_server_config !== null) {
    const t = mapping(top.tls_server_config, "tls_server_config", fail);
    checkKeys(t, TLS_KEYS, "tls_server_config.", fail);
    const str = (k: string) =>
      typeof t[k] === "string" && (t[k] as string).trim() !== ""
        ? t[k] as string
        : fail(`tls_server_config.${k}`, ": must be a file path (both cert_file and key_file)");
    tls = { certFile: str("cert_file"), keyFile: str("key_file"), ...parseTlsOptions(t, fail) };
  }
  const users = new Map<string, string>();
  if (top.basic_auth_users !== undefined && top.basic_auth_users !== null) {
    const u = mapping(top.basic_auth_users, "basic_auth_users", fail);
    for (const [name, hash] of Object.entries(u)) {
      if (typeof hash !== "string" || !BCRYPT_RE.test(hash)) {
        fail(
          `basic_auth_users.${name}`,
          ": is not a bcrypt hash (create one with: htpasswd -nBC 10 '' | tr -d ':\\n')",
        );
      }
      users.set(name, hash as string);
    }
  }
  return { tls, users };
}

function mapping(
  v: unknown,
  where: string,
  fail: (where: string, why: string) => never,
): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    return fail(where, `${where ? ": " : ""}must be a mapping of keys`);
  }
  return v as Record<string, unknown>;
}

function checkKeys(
  v: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  fail: (where: string, why: string) => never,
): void {
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) {
      fail(
        `${prefix}${k}`,
        `: unknown or unsupported key (supported here: ${known.join(", ")})`,
      );
    }
  }
}
