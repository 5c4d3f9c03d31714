/** Pre-deflated gzip pieces join into one valid stream. */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { crc32, deflatePiece, GZIP_HEADER, gzipTail } from "../src/serve/gzip.ts";

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
