/** `serve`'s command line as it runs in production: --help, and bad flags refused before listening. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EXIT_CODES_HELP } from "../src/cli/exit_codes_help.ts";
import { SERVE_EXIT_CODES_HELP } from "../src/cli/serve_command.ts";
import { runCli, taskFlags } from "./helpers/run_cli.ts";
import { scratch } from "./helpers/serve_process.ts";

Deno.test("serve --help lists only serve's exit codes, names the reload signal and warns off SIGUSR1", async () => {
  const flags = await taskFlags("serve");
  const serve = await runCli(flags, ["serve", "--help"]);
  assert.equal(serve.code, 0, serve.stderr);
  const text = serve.stdout.replace(/\s+/g, " ");
  assert.ok(text.includes(SERVE_EXIT_CODES_HELP.replace(/\s+/g, " ").trim()), serve.stdout);
  const codes = [
    ...serve.stdout.slice(serve.stdout.indexOf("Exit codes:")).matchAll(/^ {2}(\d) /gm),
  ]
    .map((m) => m[1]);
  assert.deepEqual(codes, ["0", "1", "2"], "serve never exits 3, 4 or 5");
  assert.match(text, /cannot be bound/);
  assert.doesNotMatch(text, /no command means scan/);
  assert.match(text, /SIGHUP \(and POST \/-\/reload with --web\.enable-lifecycle\) re-reads/);
  assert.match(text, /SIGHUP scans anyway/);
  assert.match(text, /--web\.enable-lifecycle/);
  assert.match(text, /never send SIGUSR1/i);
  assert.doesNotMatch(text, /\bseed\b/i);
  // The program's help keeps the full list, for scan and report.
  const top = await runCli(flags, ["--help"]);
  assert.ok(top.stdout.includes(EXIT_CODES_HELP.trim()), top.stdout);
});

Deno.test("serve: a bad interval or web config exits 2 with one line, before listening", async () => {
  const dir = await scratch();
  try {
    await Deno.writeTextFile(
      join(dir, "web.yml"),
      "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
    );
    await Deno.writeTextFile(
      join(dir, "tls.yml"),
      "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n",
    );
    await Deno.writeTextFile(join(dir, "tls.crt"), "not a certificate\n");
    await Deno.writeTextFile(
      join(dir, "tls.key"),
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    const flags = await taskFlags("serve");
    const base = [
      "serve",
      "--port",
      "0",
      "--config",
      "examples/demo/config.yaml",
      "--inventory",
      "examples/demo/inventory",
    ];
    for (
      const [extra, env, expected] of [
        [
          ["--refresh-interval", "90"],
          {},
          /--refresh-interval: "90" is not a whole number of minutes/,
        ],
        [
          [],
          { AWS_TAG_EXPORTER_REFRESH_INTERVAL: "45" },
          /AWS_TAG_EXPORTER_REFRESH_INTERVAL: "45"/,
        ],
        [["--schedule", "every hour"], {}, /--schedule "every hour": has 2 fields/],
        [
          ["--web-config", join(dir, "web.yml")],
          {},
          /tls_server_config\.client_ca_file: is required with client_auth_type RequireAndVerifyClientCert/,
        ],
        [
          ["--web-config", join(dir, "tls.yml")],
          {},
          /tls\.crt: no PEM certificate .*tls_server_config\.cert_file/,
        ],
        [
          ["--web-config", "/etc/hostname"],
          {},
          /cannot read the web config: this task's Deno permissions do not cover this path/,
        ],
      ] as const
    ) {
      const run = await runCli(flags, [...base, ...extra], { env });
      assert.equal(run.code, 2, run.stderr);
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], expected);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
