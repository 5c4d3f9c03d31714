/**
 * runServe's wiring in-process: its listener, Deno.cron stopped through its
 * signal, and the graceful shutdown. The sanitizers check that nothing (cron,
 * server, timer) outlives it.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../src/errors.ts";
import { createLogger } from "../src/log.ts";
import { runServe } from "../src/serve/server.ts";
import { result, ScriptedScans, target } from "./testdata/serve/fixtures.ts";
import { serveOptions } from "./helpers/serve_options.ts";

function start(scans: ScriptedScans, graceSeconds: number) {
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const done = runServe(serveOptions(scans, {
    shutdownGraceSeconds: graceSeconds,
    stop: stop.signal,
    onListen: (addr) => listening.resolve(addr.port),
  }));
  return { stop, port: listening.promise, done };
}

Deno.test("runServe() serves the first scan and stops cleanly, cron included", async () => {
  const scans = new ScriptedScans();
  scans.queue.push(
    result([target("us-east-1", ["arn:aws:ec2:us-east-1:111111111111:instance/i-1"])]),
  );
  const s = start(scans, 5);
  const port = await s.port;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/ready`);
    await res.body?.cancel();
    if (res.status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /resources_scanned_total\{[^}]*\} 1/);
  s.stop.abort();
  assert.equal(await s.done, 0);
});

Deno.test("runServe() aborts a scan still running when the shutdown grace is over", async () => {
  const scans = new ScriptedScans();
  scans.queue.push("block");
  const s = start(scans, 0);
  await s.port;
  s.stop.abort();
  assert.equal(await s.done, 0);
  assert.equal(scans.calls, 1);
});

Deno.test("runServe() turns a TLS certificate Deno rejects into a one-line ConfigError naming the files", async () => {
  const scans = new ScriptedScans();
  // PEM markers present (so it passed loadWebConfig), but no valid DER inside.
  const tls = {
    cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    certFile: "/etc/exporter/tls.crt",
    keyFile: "/etc/exporter/tls.key",
    clientAuth: "NoClientCert" as const,
    clientCa: null,
    clientCaFile: null,
    minVersion: "TLS12" as const,
  };
  await assert.rejects(
    runServe(serveOptions(scans, { web: { tls, users: new Map() } })),
    (e: Error) => {
      assert.ok(e instanceof ConfigError, e.message);
      assert.match(e.message, /"\/etc\/exporter\/tls\.crt" or key "\/etc\/exporter\/tls\.key"/);
      assert.ok(!e.message.includes("\n"), e.message);
      return true;
    },
  );
  assert.equal(scans.calls, 0, "nothing started");
});

Deno.test("runServe() on a port already taken is a one-line ConfigError naming host:port, before any scan", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr;
  const tls = {
    cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    certFile: "/etc/exporter/tls.crt",
    keyFile: "/etc/exporter/tls.key",
    clientAuth: "NoClientCert" as const,
    clientCa: null,
    clientCaFile: null,
    minVersion: "TLS12" as const,
  };
  // Plain HTTP, and TLS: a busy port must not be blamed on the certificate.
  for (const web of [{ tls: null, users: new Map() }, { tls, users: new Map() }]) {
    const scans = new ScriptedScans();
    await assert.rejects(runServe(serveOptions(scans, { port, web })), (e: Error) => {
      assert.ok(e instanceof ConfigError, e.message);
      assert.equal(
        e.message,
        `cannot listen on 127.0.0.1:${port}: address already in use (pick another --port)`,
      );
      return true;
    });
    assert.equal(scans.calls, 0, "no scan started");
  }
});

/** Whether this host can listen on the IPv6 loopback. */
function hasIpv6(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "runServe() on an IPv6 address logs its URL with the host in brackets",
  ignore: !hasIpv6(),
}, async () => {
  const scans = new ScriptedScans();
  scans.queue.push(result([target("us-east-1", [])]));
  const lines: string[] = [];
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const done = runServe(serveOptions(scans, {
    hostname: "::1",
    stop: stop.signal,
    log: createLogger({ format: "logfmt", write: (l) => lines.push(l) }),
    onListen: (addr) => listening.resolve(addr.port),
  }));
  const port = await listening.promise;
  const line = lines.find((l) => l.includes("listening"))!;
  assert.ok(line.includes(` url=http://[::1]:${port}/ `), line);
  const res = await fetch(`http://[::1]:${port}/livez`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
  stop.abort();
  assert.equal(await done, 0);
});
