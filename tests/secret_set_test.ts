/**
 * The secrets a source cuts out of errors: every value it was given is
 * redacted, while a long-running server that refreshes sessions for weeks
 * keeps only the sessions that can still appear in an answer.
 */
import assert from "node:assert/strict";
import { REDACTED, SecretSet } from "../src/aws/secrets.ts";

const HOUR = 3600_000;

Deno.test("SecretSet redacts every value it knows, and ignores short or missing ones", () => {
  const secrets = new SecretSet();
  secrets.add("external-id-1", "abc", null, undefined, "");
  secrets.addSession(new Date(Date.now() + HOUR), "secret-key-1", "token-1");
  assert.equal(secrets.size, 3);
  assert.equal(
    secrets.redact("id external-id-1 key secret-key-1 token token-1 abc"),
    `id ${REDACTED} key ${REDACTED} token ${REDACTED} abc`,
  );
});

Deno.test("SecretSet keeps a session's values until an hour past its expiry, not forever", () => {
  let now = Date.parse("2026-03-01T00:00:00Z");
  const secrets = new SecretSet(() => now);
  secrets.add("external-id-1");
  // Two weeks of a server refreshing three accounts' one-hour sessions every 50 minutes.
  const steps = Math.ceil(14 * 24 * 60 / 50);
  for (let step = 0; step < steps; step++) {
    for (const account of ["a", "b", "c"]) {
      const values = [`secret-${account}-${step}`, `token-${account}-${step}`];
      secrets.addSession(new Date(now + HOUR), ...values);
    }
    if (step < steps - 1) now += 50 * 60_000;
  }
  // Kept at the last refresh: the external id and, per account, the sessions whose
  // expiry is under an hour ago or to come: those of the last 3 refreshes (120 min
  // back at most), two values each. Without forgetting: 1 + 404 * 6 = 2,425 values.
  assert.equal(secrets.size, 1 + 3 * 3 * 2);
  assert.equal(secrets.redact(`token-a-${steps - 3}`), REDACTED);
  assert.equal(secrets.redact(`token-a-${steps - 4}`), `token-a-${steps - 4}`, "forgotten");
  assert.equal(secrets.redact("external-id-1"), REDACTED, "external ids are kept for good");
});
