/** withDeadline(): a deadline that holds even when the call ignores its signal. */
import assert from "node:assert/strict";
import { withDeadline } from "../src/aws/abortable.ts";
import { TargetError } from "../src/errors.ts";

Deno.test("withDeadline() rejects with the timeout error even when the call ignores its signal", async () => {
  const closing = new AbortController();
  let seen: AbortSignal | undefined;
  const never = new Promise<never>(() => {});
  await assert.rejects(
    withDeadline(
      (signal) => {
        seen = signal;
        return never;
      },
      1,
      closing.signal,
      () => new TargetError("StsTimeout", "no answer"),
    ),
    (e: TargetError) => e.code === "StsTimeout",
  );
  assert.equal(seen?.aborted, true, "the call was asked to stop");
  // Closing aborts the call through the same signal, with the call's own error.
  closing.abort(new Error("closed"));
  await assert.rejects(
    withDeadline((signal) => Promise.reject(signal.reason), 60_000, closing.signal, () => {
      throw new Error("not a timeout");
    }),
    /closed/,
  );
});
