import { TargetError } from "../errors.ts";

/**
 * Turns an SDK error into a `TargetError` whose code is the AWS error name
 * (`AccessDenied`, `ThrottledException`, ...) and whose message is one line:
 * what was attempted, how it ended, and AWS's own words, e.g.
 * `AssumeRole arn:aws:iam::111111111111:role/x denied: User: ... is not authorized ...`.
 * A `TargetError` passes through unchanged.
 */
export function awsTargetError(e: unknown, what: string): TargetError {
  if (e instanceof TargetError) return e;
  const err = (typeof e === "object" && e !== null ? e : {}) as {
    name?: string;
    message?: string;
    $metadata?: { attempts?: number };
  };
  const code = err.name && err.name !== "Error" ? err.name : "Error";
  const text = (err.message ?? String(e)).split("\n")[0].trim() || code;
  const verb = /denied|unauthori[sz]ed|forbidden/i.test(code) ? "denied" : "failed";
  const attempts = err.$metadata?.attempts ?? 1;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new TargetError(code, `${what} ${verb}${tries}: ${text}`, { cause: e });
}
