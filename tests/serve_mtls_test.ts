/** mTLS in process: each client_auth_type's verdicts, an unfinished handshake, a mismatched key. */
import assert from "node:assert/strict";
import { ConfigError } from "../src/errors.ts";
import { listenHttp } from "../src/serve/http_listener.ts";
import { runServe } from "../src/serve/server.ts";
import type { ClientAuthType } from "../src/serve/tls_settings.ts";
import { PKI } from "./helpers/certificates.ts";
import { peerTest } from "./helpers/peers.ts";
import { fetchAs, openssl, pki } from "./helpers/serve_mtls_fixture.ts";
import { until } from "./helpers/serve_process.ts";
import { ScriptedScans } from "./testdata/serve/fixtures.ts";
import { serveOptions } from "./helpers/serve_options.ts";

type Client = "none" | "trusted" | "stranger";

Deno.test({
  name: "each client_auth_type admits and refuses clients as Go's tls.ClientAuthType does",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  try {
    const expected: [ClientAuthType, Record<Client, number | "refused">][] = [
      ["NoClientCert", { none: 200, trusted: 200, stranger: 200 }],
      ["RequestClientCert", { none: 200, trusted: 200, stranger: 200 }],
      ["RequireAnyClientCert", { none: "refused", trusted: 200, stranger: 200 }],
      ["VerifyClientCertIfGiven", { none: 200, trusted: 200, stranger: "refused" }],
      ["RequireAndVerifyClientCert", { none: "refused", trusted: 200, stranger: "refused" }],
    ];
    for (const [clientAuth, outcomes] of expected) {
      const server = listenHttp({
        hostname: "127.0.0.1",
        port: 0,
        tls: {
          cert: p.read(PKI.serverCert),
          key: p.read(PKI.serverKey),
          clientAuth,
          clientCa: clientAuth === "NoClientCert" ? null : p.read(PKI.ca),
          // TLS13 puts NoClientCert on the node:tls path too.
          minVersion: "TLS13",
        },
        handler: () => Promise.resolve(new Response("ok\n")),
        onError: () => {},
        onAcceptError: () => {},
      });
      try {
        const url = `https://127.0.0.1:${server.addr.port}/`;
        for (const [client, outcome] of Object.entries(outcomes)) {
          const got = await fetchAs(url, p.clients[client as Client]);
          assert.equal(got, outcome, `${clientAuth}, client ${client}`);
        }
      } finally {
        await server.shutdown();
      }
    }
  } finally {
    await p.close();
  }
});

Deno.test({
  name: "a client that never finishes the mTLS handshake is closed after the idle timeout",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  const server = listenHttp({
    hostname: "127.0.0.1",
    port: 0,
    tls: {
      cert: p.read(PKI.serverCert),
      key: p.read(PKI.serverKey),
      clientAuth: "RequireAndVerifyClientCert",
      clientCa: p.read(PKI.ca),
      minVersion: "TLS12",
    },
    handler: () => Promise.resolve(new Response("ok\n")),
    onError: () => {},
    onAcceptError: () => {},
    limits: { idleTimeoutMs: 200 },
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    await until(
      "the connection to be admitted",
      () => Promise.resolve(server.connections === 1 || undefined),
    );
    // Half a ClientHello, then nothing.
    await conn.write(new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xc8]));
    const n = await conn.read(new Uint8Array(64)).catch(() => null);
    assert.equal(n, null, "closed by the server");
    await until(
      "the guard to forget it",
      () => Promise.resolve(server.connections === 0 || undefined),
    );
  } finally {
    conn.close();
    await server.shutdown();
    await p.close();
  }
});

Deno.test({
  name:
    "runServe() refuses a key that does not match the certificate, before any scan, in one line",
  ...peerTest(openssl),
}, async () => {
  const p = await pki();
  try {
    const scans = new ScriptedScans();
    const web = {
      tls: {
        cert: p.read(PKI.serverCert),
        key: p.read(PKI.strangerKey),
        certFile: "/etc/exporter/tls.crt",
        keyFile: "/etc/exporter/tls.key",
        clientAuth: "RequireAndVerifyClientCert" as const,
        clientCa: p.read(PKI.ca),
        clientCaFile: "/etc/exporter/ca.crt",
        minVersion: "TLS12" as const,
      },
      users: new Map(),
    };
    await assert.rejects(
      runServe(serveOptions(scans, { web })),
      (e: Error) => {
        assert.ok(e instanceof ConfigError, e.message);
        assert.match(
          e.message,
          /key "\/etc\/exporter\/tls\.key" was rejected: the private key does not match the certificate/,
        );
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
    assert.equal(scans.calls, 0);
  } finally {
    await p.close();
  }
});
