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
  assert.deepEqual(ok.tls, { certFile: "a.crt", keyFile: "a.key" });
  assert.equal(ok.users.get("prom"), hash);
  assert.deepEqual(parseWebConfig("", "web.yml"), { tls: null, users: new Map() });
  for (
    const [text, expected] of [
      [
        "http_server_config:\n  http2: false\n",
        "web.yml: http_server_config: unknown or unsupported",
      ],
      [
        "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n",
        "tls_server_config.min_version",
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
