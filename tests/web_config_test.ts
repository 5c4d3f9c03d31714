/** The exporter-toolkit web config: TLS files and bcrypt users. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../src/errors.ts";
import { loadWebConfig, parseWebConfig } from "../src/serve/web_config.ts";

const PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

const PEM_KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";

Deno.test("parseWebConfig() reads TLS files and bcrypt users, rejecting unknown keys in one line", () => {
  const hash = "$2y$10$X8K1IjwVqDGuLYhQm4E7mOvgqvUzbZHlXNrH6iEtC9dF0E2bL3Z5u";
  const ok = parseWebConfig(
    `tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\nbasic_auth_users:\n  prom: "${hash}"\n`,
    "web.yml",
  );
  assert.deepEqual(ok.tls, {
    certFile: "a.crt",
    keyFile: "a.key",
    clientAuth: "NoClientCert",
    clientCaFile: null,
    minVersion: "TLS12",
  });
  assert.equal(ok.users.get("prom"), hash);
  assert.deepEqual(parseWebConfig("", "web.yml"), { tls: null, users: new Map() });
  for (
    const [text, expected] of [
      [
        "http_server_config:\n  http2: false\n",
        "web.yml: http_server_config: unknown or unsupported",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  max_version: TLS12\n",
        "tls_server_config.max_version: unknown or unsupported key (supported here: cert_file, " +
        "key_file, client_auth_type, client_ca_file, min_version)",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_allowed_sans: [x]\n",
        "tls_server_config.client_allowed_sans: unknown or unsupported key",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Verify\n",
        'tls_server_config.client_auth_type: "Verify" is not one of NoClientCert, ' +
        "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, " +
        "RequireAndVerifyClientCert",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n" +
        "  client_auth_type: RequireAndVerifyClientCert\n",
        "tls_server_config.client_ca_file: is required with client_auth_type " +
        "RequireAndVerifyClientCert",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n" +
        "  client_auth_type: VerifyClientCertIfGiven\n",
        "tls_server_config.client_ca_file: is required with client_auth_type VerifyClientCertIfGiven",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca.crt\n",
        "tls_server_config.client_ca_file: is set but client_auth_type is NoClientCert",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS11\n",
        "tls_server_config.min_version: TLS11 is not supported: serve's TLS (rustls) speaks " +
        "TLS 1.2 and 1.3 only",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: 1.3\n",
        "tls_server_config.min_version: must be a non-empty string",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLSv1.3\n",
        'tls_server_config.min_version: "TLSv1.3" is not a TLS version (use TLS12 or TLS13)',
      ],
      ["tls_server_config:\n  cert_file: a\n", "tls_server_config.key_file"],
      ["basic_auth_users:\n  prom: plaintext\n", "basic_auth_users.prom: is not a bcrypt hash"],
      ["basic_auth_users: [a]\n", "basic_auth_users: must be a mapping"],
      ["a: [", "is not valid YAML"],
    ]
  ) {
    assert.throws(() => parseWebConfig(text, "web.yml"), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.message.includes(expected), e.message);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    });
  }
});

Deno.test("parseWebConfig() reads client_auth_type, client_ca_file and min_version", () => {
  const text = "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n" +
    "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n" +
    "  min_version: TLS13\n";
  assert.deepEqual(parseWebConfig(text, "web.yml").tls, {
    certFile: "a.crt",
    keyFile: "a.key",
    clientAuth: "RequireAndVerifyClientCert",
    clientCaFile: "ca.crt",
    minVersion: "TLS13",
  });
  // The two that never verify need no CA (exporter-toolkit calls them insecure).
  for (const type of ["RequestClientCert", "RequireAnyClientCert"]) {
    const t = parseWebConfig(
      `tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: ${type}\n`,
      "web.yml",
    ).tls;
    assert.equal(t?.clientAuth, type);
    assert.equal(t?.clientCaFile, null);
  }
});

Deno.test("loadWebConfig() reads client_ca_file next to the web config and rejects one without a certificate", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const web = join(dir, "web.yml");
    await Deno.writeTextFile(
      web,
      "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n" +
        "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n",
    );
    await Deno.writeTextFile(join(dir, "tls.crt"), PEM_CERT);
    await Deno.writeTextFile(join(dir, "tls.key"), PEM_KEY);
    for (
      const [ca, expected] of [
        ["", `${join(dir, "ca.crt")}: no PEM certificate`],
        [PEM_KEY, "set tls_server_config.client_ca_file in " + web],
        [PEM_CERT, `${join(dir, "ca.crt")}: certificate 1 does not parse`],
      ]
    ) {
      await Deno.writeTextFile(join(dir, "ca.crt"), ca);
      await assert.rejects(loadWebConfig(web), (e: Error) => {
        assert.ok(e instanceof ConfigError, e.message);
        assert.ok(e.message.includes(expected), e.message);
        assert.ok(!e.message.includes("\n"), e.message);
        return true;
      });
    }
    await Deno.remove(join(dir, "ca.crt"));
    await assert.rejects(loadWebConfig(web), /client CA file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadWebConfig() rejects a certificate or key file without its PEM block, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const web = join(dir, "web.yml");
    await Deno.writeTextFile(
      web,
      "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n",
    );
    for (
      const [cert, key, expected] of [
        ["", PEM_KEY, `${join(dir, "tls.crt")}: no PEM certificate`],
        ["not a certificate", PEM_KEY, "tls_server_config.cert_file in " + web],
        [PEM_CERT, "", `${join(dir, "tls.key")}: no PEM private key`],
        [PEM_KEY, PEM_CERT, "are cert_file and key_file swapped?"],
        [PEM_CERT, PEM_CERT, "this file holds a certificate"],
      ]
    ) {
      await Deno.writeTextFile(join(dir, "tls.crt"), cert);
      await Deno.writeTextFile(join(dir, "tls.key"), key);
      await assert.rejects(loadWebConfig(web), (e: Error) => {
        assert.ok(e instanceof ConfigError, e.message);
        assert.ok(e.message.includes(expected), e.message);
        assert.ok(!e.message.includes("\n"), e.message);
        return true;
      });
    }
    await Deno.writeTextFile(join(dir, "tls.crt"), PEM_CERT);
    await Deno.writeTextFile(join(dir, "tls.key"), PEM_KEY.replaceAll(" EC ", " "));
    const ok = await loadWebConfig(web);
    assert.equal(ok.tls?.certFile, join(dir, "tls.crt"));
    assert.equal(ok.tls?.keyFile, join(dir, "tls.key"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
