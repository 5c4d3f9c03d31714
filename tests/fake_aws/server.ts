/**
 * The HTTP front of the fake: one `Deno.serve` listener on 127.0.0.1:0 that
 * authenticates the caller from SigV4 and dispatches by protocol (awsJson1.1
 * when `X-Amz-Target` is present, AWS Query/STS otherwise).
 *
 * @module
 */

import type { FakeContext } from "./context.ts";
import { parseAuthorization } from "./identity.ts";
import { Sleeper } from "./sleeper.ts";
import { handleSts, stsError } from "./sts.ts";
import { handleTagging, jsonError } from "./tagging.ts";

/** A running listener. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function handle(req: Request, ctx: FakeContext, sleeper: Sleeper): Promise<Response> {
  const receivedAt = performance.now();
  const amzTarget = req.headers.get("x-amz-target");
  const isJson = amzTarget !== null ||
    (req.headers.get("content-type") ?? "").includes("application/x-amz-json");
  const scope = parseAuthorization(req.headers.get("authorization"));
  const caller = scope ? ctx.identity.resolve(scope.accessKeyId) : undefined;
  const done = ctx.stats.enter(caller?.account);
  try {
    const body = await req.text();
    await sleeper.sleep(latencyOf(actionOf(req, amzTarget, body), ctx));
    if (!scope || !caller) {
      return isJson
        ? jsonError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
        : stsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    const expired = caller.expiresAt !== undefined && Date.now() >= caller.expiresAt &&
      (ctx.opts.enforceCredentialExpiry ?? true);
    const expiredMsg = "The security token included in the request is expired";
    const hostile = hostileAnswer(req, actionOf(req, amzTarget, body), body, ctx);
    if (hostile) return hostile;
    if (isJson) {
      if (expired) return jsonError("ExpiredTokenException", expiredMsg, 400);
      return handleTagging(amzTarget ?? "", body, caller.account, scope.region, ctx, receivedAt);
    }
    if (expired) return stsError(400, "ExpiredToken", expiredMsg);
    // Query protocol: params in the form body (what the SDK sends) or, for
    // hand-written GETs, in the query string.
    const params = new URLSearchParams(body);
    for (const [k, v] of new URL(req.url).searchParams) if (!params.has(k)) params.set(k, v);
    return handleSts(params, caller, ctx);
  } catch (err) {
    // A bug in the fake must surface as a server error, not a hung request.
    console.error("fake_aws: handler failed", err);
    return isJson
      ? jsonError("InternalServiceException", String(err), 500)
      : stsError(500, "InternalFailure", String(err));
  } finally {
    done();
  }
}

/** A `rawAnswers` entry with answers left, or the `echoSecrets` denial, for `action`. */
function hostileAnswer(
  req: Request,
  action: string | null,
  body: string,
  ctx: FakeContext,
): Response | null {
  const raw = ctx.opts.rawAnswers ?? [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i].action !== action || ctx.rawAnswersLeft[i] <= 0) continue;
    ctx.rawAnswersLeft[i]--;
    return new Response(raw[i].body, {
      status: raw[i].status ?? 200,
      headers: { "content-type": raw[i].contentType ?? "application/x-amz-json-1.1" },
    });
  }
  if (ctx.opts.echoSecrets === undefined || ctx.opts.echoSecrets !== action) return null;
  const token = req.headers.get("x-amz-security-token") ?? "none";
  const externalId = new URLSearchParams(body).get("ExternalId") ?? "none";
  const message = `Request with security token ${token} and external id ${externalId} denied`;
  return action === "GetResources"
    ? jsonError("AccessDeniedException", message)
    : stsError(403, "AccessDenied", message);
}

/** The operation a request asks for: the JSON target's suffix, or the Query `Action`. */
function actionOf(req: Request, amzTarget: string | null, body: string): string | null {
  if (amzTarget !== null) return amzTarget.slice(amzTarget.lastIndexOf(".") + 1);
  return new URLSearchParams(body).get("Action") ?? new URL(req.url).searchParams.get("Action");
}

/** The wait before answering `action`: a `slowCalls` entry with calls left, else `latencyMs`. */
function latencyOf(action: string | null, ctx: FakeContext): number {
  const slow = ctx.opts.slowCalls ?? [];
  for (let i = 0; i < slow.length; i++) {
    if (slow[i].action !== action || ctx.slowCallsLeft[i] <= 0) continue;
    ctx.slowCallsLeft[i]--;
    return slow[i].latencyMs;
  }
  return ctx.opts.latencyMs ?? 0;
}

/** Starts listening on an ephemeral loopback port. */
export function serve(ctx: FakeContext): RunningServer {
  const sleeper = new Sleeper();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handle(req, ctx, sleeper),
  );
  const { port } = server.addr as Deno.NetAddr;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      // Release latency waits first so in-flight handlers can finish and the
      // graceful shutdown does not wait for them.
      closing ??= (async () => {
        sleeper.cancelAll();
        await server.shutdown();
      })();
      return closing;
    },
  };
}
