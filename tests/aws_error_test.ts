/** SDK errors as target errors: codes, one line, throttling. */
import assert from "node:assert/strict";
import { isThrottle } from "../src/aws/api_stats.ts";
import { awsTargetError } from "../src/aws/aws_error.ts";
import { TargetError } from "../src/errors.ts";

Deno.test("awsTargetError() gives the AWS code and one line", () => {
  const err = (name: string, message: string, attempts?: number) =>
    Object.assign(new Error(message), { name, $metadata: { attempts } });
  const cases: [unknown, string, string, string][] = [
    [
      err("AccessDenied", "User: x is not\nauthorized"),
      "AssumeRole R",
      "AccessDenied",
      "AssumeRole R denied: User: x is not",
    ],
    [
      err("ThrottledException", "Rate exceeded", 10),
      "GetResources",
      "ThrottledException",
      "GetResources failed after 10 attempts: Rate exceeded",
    ],
    [new Error("boom"), "X", "Error", "X failed: boom"],
    ["weird", "X", "Error", "X failed: weird"],
  ];
  for (const [e, what, code, message] of cases) {
    const t = awsTargetError(e, what);
    assert.equal(t.code, code);
    assert.equal(t.message, message);
  }
  const own = new TargetError("Mine", "kept");
  assert.equal(awsTargetError(own, "X"), own);
});

Deno.test("isThrottle() recognises throttling by name, status and trait", () => {
  const cases: [unknown, boolean][] = [
    [{ name: "ThrottledException" }, true],
    [{ name: "Throttling" }, true],
    [{ name: "X", $metadata: { httpStatusCode: 429 } }, true],
    [{ name: "X", $retryable: { throttling: true } }, true],
    [{ name: "InternalServiceException", $metadata: { httpStatusCode: 500 } }, false],
    [null, false],
  ];
  for (const [e, want] of cases) assert.equal(isThrottle(e), want, JSON.stringify(e));
});
