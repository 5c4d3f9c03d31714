/** serve's basic auth, called without a socket: 401s, the verdict caches, 503 when bcrypt is busy. */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { I1 } from "./helpers/serve_handler_fixture.ts";
import { app, result, target } from "./testdata/serve/fixtures.ts";

Deno.test("basic auth protects every path, answers 401 with WWW-Authenticate, and caches success", async () => {
  let compares = 0;
  const hash = bcrypt.hashSync("s3cret", 4);
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (...args: unknown[]) => {
      compares++;
      return bcrypt.compare(args[0] as string, args[1] as string);
    },
  } as never);
  a.scans.queue.push(result([target("us-east-1", [I1])]));
  await a.refresher.refresh("test");
  const basic = (user: string, pass: string) => ({
    headers: { authorization: "Basic " + btoa(`${user}:${pass}`) },
  });
  for (
    const [path, init] of [
      ["/metrics", {}],
      ["/nope", {}],
      ["/health", basic("prometheus", "wrong")],
      ["/metrics", basic("nobody", "s3cret")],
      ["/metrics", { headers: { authorization: "Bearer abc" } }],
    ] as const
  ) {
    const res = await a.get(path, init);
    assert.equal(res.status, 401, `${path} ${JSON.stringify(init)}`);
    assert.match(res.headers.get("www-authenticate")!, /^Basic realm="aws-tag-exporter"/);
    await res.body?.cancel();
  }
  const before = compares;
  for (let i = 0; i < 3; i++) {
    const ok = await a.get("/metrics", basic("prometheus", "s3cret"));
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }
  assert.equal(compares - before, 1, "bcrypt ran once; the success was cached");
  a.clock.now += 61_000;
  await (await a.get("/ready", basic("prometheus", "s3cret"))).body?.cancel();
  assert.equal(compares - before, 2, "the cache expires");
});

Deno.test("basic auth caches a rejected credential: repeating it does not run bcrypt again", async () => {
  const { a, counter } = countingAuthApp();
  const bad = { headers: { authorization: "Basic " + btoa("prometheus:wrong") } };
  const unknown = { headers: { authorization: "Basic " + btoa("nobody:wrong") } };
  for (let i = 0; i < 5; i++) {
    for (const init of [bad, unknown]) {
      const res = await a.get("/livez", init);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
  }
  assert.equal(counter.compares, 2, "one bcrypt compare per distinct bad credential");
  // The right password is not answered from the failure cache.
  const ok = await a.get("/livez", {
    headers: { authorization: "Basic " + btoa("prometheus:s3cret") },
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(counter.compares, 3);
  a.clock.now += 11_000;
  await (await a.get("/livez", bad)).body?.cancel();
  assert.equal(counter.compares, 4, "a failure is remembered only briefly");
});

Deno.test("basic auth renews a verified credential on every hit: a steady scraper never pays bcrypt again", async () => {
  const { a, counter } = countingAuthApp();
  const ok = { headers: { authorization: "Basic " + btoa("prometheus:s3cret") } };
  // Scrapes 50 s apart: each lands within a minute of the previous one.
  for (let i = 0; i < 5; i++) {
    const res = await a.get("/livez", ok);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    a.clock.now += 50_000;
  }
  assert.equal(counter.compares, 1, "bcrypt ran once over 200 s of scrapes");
  a.clock.now += 11_000; // 61 s after the last hit
  await (await a.get("/livez", ok)).body?.cancel();
  assert.equal(counter.compares, 2, "an idle credential still expires a minute after its last use");
});

Deno.test("basic auth answers 503 with Retry-After, not 401, when too many credentials wait for bcrypt", async () => {
  const hash = bcrypt.hashSync("s3cret", 4);
  const gates: PromiseWithResolvers<boolean>[] = [];
  let hold = true;
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (password, h) => {
      if (!hold) return bcrypt.compare(password, h);
      const gate = Promise.withResolvers<boolean>();
      gates.push(gate);
      return gate.promise;
    },
  });
  const basic = (pass: string) => ({
    headers: { authorization: "Basic " + btoa(`prometheus:${pass}`) },
  });
  const flood = Array.from({ length: 9 }, (_, i) => a.get("/metrics", basic(`guess-${i}`)));
  // Hang guard, not a timing assertion: wait until one compares and eight wait.
  for (let i = 0; a.auth!.pending < 9; i++) {
    assert.ok(i < 10_000, "the flood never queued");
    await new Promise((r) => setTimeout(r, 1));
  }
  // A scraper's right password, not cached (say its minute ran out): it cannot be checked now.
  const busy = await a.get("/livez", basic("s3cret"));
  assert.equal(busy.status, 503);
  assert.equal(busy.headers.get("retry-after"), "1");
  assert.equal(busy.headers.get("www-authenticate"), null, "not a credentials problem");
  await busy.body?.cancel();
  assert.equal(gates.length, 1, "answered without a bcrypt compare");
  hold = false;
  while (gates.length > 0 || a.auth!.pending > 0) {
    gates.shift()?.resolve(false);
    await new Promise((r) => setTimeout(r, 1));
  }
  for (const res of await Promise.all(flood)) {
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const retried = await a.get("/livez", basic("s3cret"));
  assert.equal(retried.status, 200, "the retry after the flood passes");
  await retried.body?.cancel();
});

/** An app with one user whose password is "s3cret", counting bcrypt compares. */
function countingAuthApp() {
  const counter = { compares: 0 };
  const hash = bcrypt.hashSync("s3cret", 4);
  const a = app({
    users: new Map([["prometheus", hash]]),
    compare: (password, h) => {
      counter.compares++;
      return bcrypt.compare(password, h);
    },
  });
  return { a, counter };
}
