/** BasicAuth: one bcrypt compare at a time, busy when the queue is full. */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { BasicAuth } from "../src/serve/basic_auth.ts";

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

Deno.test("an unknown user costs one bcrypt compare at the highest cost of the file", async () => {
  const hashes = new Map([
    ["fast", "$2y$04$" + "a".repeat(53)],
    ["slow", "$2y$12$" + "b".repeat(53)],
    ["middle", "$2a$10$" + "c".repeat(53)],
  ]);
  const seen: string[] = [];
  const auth = new BasicAuth(hashes, {
    compare: (_password, hash) => {
      seen.push(hash);
      return Promise.resolve(false);
    },
  });
  const req = (user: string) =>
    new Request("http://exporter/", {
      headers: { authorization: "Basic " + btoa(`${user}:guess`) },
    });
  assert.equal(await auth.verify(req("nobody")), "denied");
  assert.equal(await auth.verify(req("fast")), "denied");
  assert.equal(seen.length, 2, "each verdict costs exactly one compare");
  // The cost is the 2 digits after the version: what bcrypt's work (2^cost rounds) follows.
  assert.equal(bcrypt.getRounds(seen[0]), 12, seen[0]);
  assert.equal(seen[1], hashes.get("fast"));
  // A hash bcrypt accepts: the real compare runs (here at cost 4, to be quick) and says no.
  assert.equal(await bcrypt.compare("", "$2b$04$" + seen[0].slice(7)), false);
});
