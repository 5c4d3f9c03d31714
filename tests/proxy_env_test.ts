/** The proxy settings as logged, and the network errors the fetch handler reports. */
import assert from "node:assert/strict";
import { FetchHandler } from "../src/aws/fetch_handler.ts";
import { proxyFields, redactProxy } from "../src/aws/proxy_env.ts";

Deno.test("proxyFields() reads upper case, then lower case, and drops proxy passwords", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(proxyFields(env({})), null);
  assert.equal(proxyFields(env({ NO_PROXY: "localhost" })), null, "NO_PROXY alone sets no proxy");
  assert.deepEqual(
    proxyFields(
      env({ https_proxy: "http://u:p@proxy:3128", HTTP_PROXY: "proxy:80", no_proxy: ".internal" }),
    ),
    { https_proxy: "http://proxy:3128", http_proxy: "proxy:80", no_proxy: ".internal" },
  );
  assert.deepEqual(
    proxyFields(
      env({
        HTTPS_PROXY: "http://a:3128",
        https_proxy: "http://b:3128",
        ALL_PROXY: "socks5://c:1080",
      }),
    ),
    { https_proxy: "http://a:3128", all_proxy: "socks5://c:1080" },
  );
  assert.equal(redactProxy("user:secret@proxy:3128"), "proxy:3128");
  assert.equal(redactProxy("https://us%40er:p%2Fw@proxy.corp:8443/"), "https://proxy.corp:8443/");
});

Deno.test("redactProxy() drops a password with a raw @ or / in it, whole", () => {
  // URL parsers take the last @ as the end of the user part: fetch uses this proxy.
  assert.equal(redactProxy("http://alice:s3c@ret@proxy:3128"), "http://proxy:3128");
  assert.equal(redactProxy("alice:s3c@ret@proxy:3128"), "proxy:3128");
  // Not a URL fetch can use, but the password is still not the log's to show.
  assert.equal(redactProxy("http://alice:s3c/ret@proxy:3128"), "http://proxy:3128");
  assert.equal(redactProxy("http://proxy:3128/"), "http://proxy:3128/");
  const fields = proxyFields((n) => ({ HTTPS_PROXY: "http://alice:s3c@ret@proxy:3128" })[n]);
  assert.ok(!JSON.stringify(fields).includes("ret"), JSON.stringify(fields));
});

Deno.test("FetchHandler reports a refused connection and an unknown host as node:http does", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const request = (hostname: string, port?: number) => ({
    method: "POST",
    protocol: "http:",
    hostname,
    port,
    path: "/",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  const plain = new FetchHandler();
  await assert.rejects(plain.handle(request("127.0.0.1", port)), (e: Error & { code?: string }) => {
    assert.equal(e.code, "ECONNREFUSED");
    assert.equal(e.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
    return true;
  });
  await assert.rejects(
    plain.handle(request("no-such-host.invalid")),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, "ENOTFOUND");
      assert.equal(e.message, "getaddrinfo ENOTFOUND no-such-host.invalid");
      return true;
    },
  );
  const proxied = new FetchHandler({ http_proxy: "http://proxy:3128" });
  await assert.rejects(proxied.handle(request("127.0.0.1", port)), (e: Error) => {
    assert.ok(
      e.message.endsWith("(through the proxy http://proxy:3128 unless NO_PROXY matches)"),
      e.message,
    );
    return true;
  });
});

Deno.test("FetchHandler aborts with the SDK's AbortError and the signal's reason as cause", async () => {
  const handler = new FetchHandler();
  const reason = new Error("target timed out");
  await assert.rejects(
    handler.handle(
      { method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 9, path: "/", headers: {} },
      { abortSignal: AbortSignal.abort(reason) },
    ),
    (e: Error) => e.name === "AbortError" && e.cause === reason,
  );
});
