import { type AccountClient, ListRegionsCommand } from "@aws-sdk/client-account";
import { REGION_RE } from "../config/roles.ts";
import { TargetError } from "../errors.ts";
import { withDeadline } from "./abortable.ts";
import { awsTargetError } from "./aws_error.ts";
import { callTimeout } from "./discovery_errors.ts";

const WHAT = "account:ListRegions";

/** How one account's ListRegions calls are made. */
export interface RegionCallOptions {
  readonly signal: AbortSignal;
  /** Each call (retries included) fails with `CallTimeout` after this long. */
  readonly timeoutMs: number;
}

/**
 * The regions enabled in the account whose session `client` signs with
 * (`regions: all`): `ListRegions` with `RegionOptStatusContains` ENABLED and
 * ENABLED_BY_DEFAULT, no `AccountId` (the caller's own account), paged until
 * `NextToken` is absent. Sorted. Failures are a `TargetError` naming the
 * call, e.g. `AccessDeniedException: account:ListRegions denied: ... (grant
 * account:ListRegions to the account's role, or list its regions)`.
 */
export async function listEnabledRegions(
  client: AccountClient,
  call: RegionCallOptions,
): Promise<string[]> {
  const regions = new Set<string>();
  let token: string | undefined;
  for (;;) {
    let out;
    try {
      out = await withDeadline(
        (abortSignal) =>
          client.send(
            new ListRegionsCommand({
              // No MaxResults: AWS's own page size; an account has a few dozen regions.
              RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
              NextToken: token,
            }),
            { abortSignal },
          ),
        call.timeoutMs,
        call.signal,
        () => callTimeout(WHAT, call.timeoutMs),
      );
    } catch (e) {
      if (call.signal.aborted) throw call.signal.reason;
      throw withHint(awsTargetError(e, WHAT));
    }
    for (const r of out.Regions ?? []) {
      if (r.RegionName && REGION_RE.test(r.RegionName)) regions.add(r.RegionName);
    }
    const next = out.NextToken;
    if (!next) break;
    if (next === token) {
      throw new TargetError("InvalidResponse", `${WHAT} returned the NextToken it was given`);
    }
    token = next;
  }
  if (regions.size === 0) {
    throw new TargetError("InvalidResponse", `${WHAT} listed no enabled region`);
  }
  return [...regions].sort();
}

function withHint(e: TargetError): TargetError {
  if (!/AccessDenied/.test(e.code)) return e;
  return new TargetError(
    e.code,
    `${e.message} (grant account:ListRegions to the account's role, or list its regions in ` +
      "aws_account_matrix)",
    { cause: e.cause },
  );
}
