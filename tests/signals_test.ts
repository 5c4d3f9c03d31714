/** serve's signals per OS. */
import assert from "node:assert/strict";
import { serveSignals } from "../src/serve/signals.ts";

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
