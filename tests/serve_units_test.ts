/** serve's pure parts: schedule resolution, cron parsing, web config, negotiation, gzip pieces. */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { ConfigError } from "../src/errors.ts";
import { BasicAuth } from "../src/serve/basic_auth.ts";
import { parseCron } from "../src/serve/cron.ts";
import { crc32, deflatePiece, GZIP_HEADER, gzipTail } from "../src/serve/gzip.ts";
import { acceptsGzip, prefersHtml, wantsOpenMetrics } from "../src/serve/negotiate.ts";
import { resolveSchedule } from "../src/serve/schedule.ts";
import { serveSignals } from "../src/serve/signals.ts";
import { loadWebConfig, parseWebConfig } from "../src/serve/web_config.ts";

const T0 = Date.parse("2030-01-01T00:02:10Z");

Deno.test("resolveSchedule() takes the flag, then the env var, then config, then 300 s", () => {
  assert.equal(resolveSchedule({ flag: "120", env: "600", config: 900 }).intervalSeconds, 120);
  assert.equal(resolveSchedule({ env: "600", config: 900 }).intervalSeconds, 600);
  assert.equal(resolveSchedule({ env: " ", config: 900 }).intervalSeconds, 900);
  assert.equal(resolveSchedule({ config: null }).intervalSeconds, 300);
  assert.equal(resolveSchedule({}).cron, "*/5 * * * *");
  assert.equal(resolveSchedule({ flag: "3600" }).cron, "0 * * * *");
  const s = resolveSchedule({ schedule: "15 */6 * * *", env: "60" });
  assert.equal(s.cron, "15 */6 * * *");
  assert.equal(s.intervalSeconds, 6 * 3600);
});

Deno.test("resolveSchedule() runs intervals that do not divide an hour on a minute tick with a gap", () => {
  const s = resolveSchedule({ flag: "420" });
  assert.equal(s.cron, "* * * * *");
  assert.equal(s.minGapSeconds, 390);
  assert.equal(s.next(T0, T0), Date.parse("2030-01-01T00:09:00Z"));
  assert.equal(resolveSchedule({ flag: "300" }).next(T0, T0), Date.parse("2030-01-01T00:05:00Z"));
});

Deno.test("resolveSchedule() rejects what Deno.cron cannot do, in one line naming the source", () => {
  for (
    const [inputs, where] of [
      [{ flag: "90" }, "--refresh-interval"],
      [{ flag: "30" }, "--refresh-interval"],
      [{ flag: "5m" }, "--refresh-interval"],
      [{ env: "-60" }, "AWS_TAG_EXPORTER_REFRESH_INTERVAL"],
      [{ config: 45, configFile: "c.yaml" }, "c.yaml: refresh_interval"],
      [{ schedule: "*/5 * * *" }, "--schedule"],
      [{ schedule: "61 * * * *" }, "--schedule"],
      [{ schedule: "0 0 31 2 *" }, "--schedule"],
      [{ schedule: "* * * * *", flag: "60" }, "--schedule"],
    ] as const
  ) {
    assert.throws(() => resolveSchedule(inputs), (e: Error) => {
      assert.ok(e instanceof ConfigError, JSON.stringify(inputs));
      assert.ok(e.message.includes(where), e.message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("parseCron() finds the next run in UTC, with steps, ranges, lists and day rules", () => {
  assert.equal(parseCron("*/5 * * * *").next(T0), Date.parse("2030-01-01T00:05:00Z"));
  assert.equal(parseCron("0 9 * * 1-5").next(T0), Date.parse("2030-01-01T09:00:00Z")); // Tuesday
  assert.equal(parseCron("30 1,13 * * 0").next(T0), Date.parse("2030-01-06T01:30:00Z"));
  assert.equal(parseCron("0 0 1 * 7").next(T0), Date.parse("2030-01-06T00:00:00Z"), "dom OR dow");
  assert.equal(parseCron("0 0 29 2 *").next(T0), Date.parse("2032-02-29T00:00:00Z"));
  assert.equal(parseCron("0 * * * *").longestGapSeconds(T0), 3600);
});

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

Deno.test("negotiation follows q-values", () => {
  assert.equal(
    wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
    true,
  );
  assert.equal(
    wantsOpenMetrics("text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5"),
    false,
  );
  assert.equal(wantsOpenMetrics("*/*"), false);
  assert.equal(wantsOpenMetrics(null), false);
  assert.equal(acceptsGzip("gzip, deflate"), true);
  assert.equal(acceptsGzip("identity"), false);
  assert.equal(acceptsGzip("*"), true);
  assert.equal(acceptsGzip("*, gzip;q=0"), false);
  assert.equal(prefersHtml("text/html,*/*;q=0.8"), true);
  assert.equal(prefersHtml("application/json, text/html;q=0.5"), false);
  assert.equal(prefersHtml("*/*"), false);
});

Deno.test("gzip pieces with sync flushes join into one valid gzip stream", () => {
  const e = new TextEncoder();
  const parts = ["a".repeat(5000), "b\n".repeat(300), "tail\n"].map((s) => e.encode(s));
  let crc = 0;
  for (const p of parts) crc = crc32(p, crc);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const gz = new Uint8Array(
    [
      GZIP_HEADER,
      deflatePiece(parts[0]),
      deflatePiece(parts[1]),
      gzipTail(parts[2], crc, total),
    ].flatMap((p) => [...p]),
  );
  assert.equal(
    new TextDecoder().decode(gunzipSync(gz)),
    parts.map((p) => new TextDecoder().decode(p)).join(""),
  );
});

Deno.test("serveSignals() registers only SIGINT and SIGBREAK on Windows, with no rescan signal", () => {
  assert.deepEqual(serveSignals("windows"), { stop: ["SIGINT", "SIGBREAK"], rescan: null });
});

Deno.test("serveSignals() rescans on SIGHUP elsewhere, never on SIGUSR1 (Deno's inspector signal)", () => {
  for (const os of ["linux", "darwin", "freebsd"] as const) {
    const signals = serveSignals(os);
    assert.deepEqual(signals, { stop: ["SIGTERM", "SIGINT"], rescan: "SIGHUP" }, os);
    assert.ok(!signals.stop.includes("SIGUSR1"), os);
  }
});

const PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const PEM_KEY = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";

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

Deno.test("BasicAuth runs one bcrypt compare at a time and answers busy at once when the queue is full", async () => {
  const gates: PromiseWithResolvers<boolean>[] = [];
  let active = 0;
  let maxActive = 0;
  const auth = new BasicAuth(new Map([["prometheus", "$2a$10$" + "x".repeat(53)]]), {
    compare: async () => {
      maxActive = Math.max(maxActive, ++active);
      const gate = Promise.withResolvers<boolean>();
      gates.push(gate);
      try {
        return await gate.promise;
      } finally {
        active--;
      }
    },
  });
  const req = (password: string) =>
    new Request("http://exporter/metrics", {
      headers: { authorization: "Basic " + btoa(`prometheus:${password}`) },
    });
  const waiting = Array.from({ length: 9 }, (_, i) => auth.verify(req(`guess-${i}`)));
  // Hang guard, not a timing assertion: wait until all nine are queued or comparing.
  for (let i = 0; auth.pending < 9; i++) {
    assert.ok(i < 10_000, "the requests never queued");
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.equal(await auth.verify(req("one-too-many")), "busy", "answered without bcrypt");
  assert.equal(gates.length, 1);
  while (auth.pending > 0) {
    if (gates.length > 0) gates.shift()!.resolve(false);
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.deepEqual(await Promise.all(waiting), Array(9).fill("denied"));
  assert.equal(maxActive, 1);
});
