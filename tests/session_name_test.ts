/** The AssumeRole session name. */
import assert from "node:assert/strict";
import { sessionName } from "../src/aws/session_name.ts";

Deno.test("sessionName() names tool and account within STS limits", () => {
  const cases: [string, string | undefined, string][] = [
    ["123456789012", undefined, "aws-tag-exporter-123456789012"],
    ["123456789012", "my tool/v2", "my-tool-v2-123456789012"],
    ["123456789012", "x".repeat(80), "x".repeat(64)],
  ];
  for (const [account, prefix, want] of cases) {
    const got = sessionName(account, prefix);
    assert.equal(got, want);
    assert.match(got, /^[\w+=,.@-]{2,64}$/);
  }
});
