/**
 * The HTTP front of the fake: one `Deno.serve` listener on 127.0.0.1:0 (HTTPS
 * with `tls`) that
 * authenticates the caller from SigV4 and dispatches by protocol, as AWS
 * endpoints would by host: awsJson1.1 by `X-Amz-Target` (Tagging,
 * Organizations), restJson1 by the SigV4 service (`account`,
 * `resource-explorer-2`) and path, AWS Query (STS) otherwise.
 *
 * @module
 */

import { handleAccountApi } from "./account_api.ts";
import type { FakeContext, ServiceCall, ServiceState } from "./context.ts";
import { handleExplorer } from "./explorer.ts";
import { type CallerScope, parseAuthorization } from "./identity.ts";
import { errorCodeOf, jsonError, restError } from "./json_protocol.ts";
import { handleOrganizations, ORGANIZATIONS_TARGET_PREFIX } from "./organizations.ts";
import { Sleeper } from "./sleeper.ts";
import { handleSts, stsError } from "./sts.ts";
import { handleTagging } from "./tagging.ts";

/** A running listener. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

type Service = "sts" | "tagging" | "organizations" | "account" | "explorer";

/** Operation names of the Account API by path (its paths are lower camel case). */
const ACCOUNT_PATHS: Record<string, string> = {
  "/listRegions": "ListRegions",
  "/getRegionOptStatus": "GetRegionOptStatus",
};

/** Which service and operation a request is for. */
function routeOf(req: Request, scope: CallerScope | undefined): { service: Service; op: string } {
  const target = req.headers.get("x-amz-target");
  const path = new URL(req.url).pathname;
  if (target !== null) {
    const op = target.slice(target.lastIndexOf(".") + 1);
    return {
      service: target.startsWith(ORGANIZATIONS_TARGET_PREFIX) ? "organizations" : "tagging",
      op,
    };
  }
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/x-amz-json")) return { service: "tagging", op: "" };
  const signed = scope?.service;
  if (
    signed === "account" || (!signed && type.includes("application/json") && path in ACCOUNT_PATHS)
  ) {
    return { service: "account", op: ACCOUNT_PATHS[path] ?? path.slice(1) };
  }
  if (signed === "resource-explorer-2" || (!signed && type.includes("application/json"))) {
    return { service: "explorer", op: path.slice(1) };
  }
  return { service: "sts", op: "" };
}

/**
 * Errors raised before a handler runs, in each protocol's own form. STS
 * drops the `Exception` suffix; restJson1 services answer auth failures
 * with 403 and API Gateway's lower-case `message`.
 */
function frontError(service: Service, code: string, message: string, status: number): Response {
  if (service === "sts") return stsError(status, code.replace(/Exception$/, ""), message);
  if (service === "account" || service === "explorer") {
    return restError(code, status === 400 && code !== "SerializationException" ? 403 : status, {
      message,
    });
  }
  return jsonError(code, message, status);
}

type JsonService = "organizations" | "account" | "explorer";

/** Handler and state of each JSON service added after STS/Tagging. */
const JSON_SERVICES: Record<
  JsonService,
  {
    handle: (call: ServiceCall, ctx: FakeContext) => Response;
    state: (ctx: FakeContext) => ServiceState;
  }
> = {
  organizations: { handle: handleOrganizations, state: (ctx) => ctx.organizations },
  account: { handle: handleAccountApi, state: (ctx) => ctx.accountApi },
  explorer: { handle: handleExplorer, state: (ctx) => ctx.explorer },
};

/** Runs a JSON service handler on the parsed body and records the call. */
function serveJson(
  service: JsonService,
  call: Omit<ServiceCall, "input">,
  body: string,
  ctx: FakeContext,
): Response {
  let input: Record<string, unknown> | undefined;
  try {
    const parsed = body ? JSON.parse(body) : {};
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) input = parsed;
  } catch {
    // invalid JSON: answered below
  }
  const { handle, state } = JSON_SERVICES[service];
  const res = input === undefined
    ? frontError(service, "SerializationException", "Request body is not valid JSON", 400)
    : handle({ ...call, input }, ctx);
  state(ctx).stats.record({
    op: call.op,
    callerAccount: call.account,
    region: call.region,
    input: input ?? {},
    status: res.status,
    errorCode: errorCodeOf(res),
    at: call.receivedAt,
  });
  return res;
}

async function handle(req: Request, ctx: FakeContext, sleeper: Sleeper): Promise<Response> {
  const receivedAt = performance.now();
  const scope = parseAuthorization(req.headers.get("authorization"));
  const caller = scope ? ctx.identity.resolve(scope.accessKeyId) : undefined;
  const { service, op } = routeOf(req, scope);
  const done = ctx.stats.enter(caller?.account);
  try {
    const body = await req.text();
    const action = service === "sts"
      ? new URLSearchParams(body).get("Action") ?? new URL(req.url).searchParams.get("Action")
      : op;
    await sleeper.sleep(latencyOf(action, ctx));
    if (!scope || !caller) {
      const msg = service === "sts"
        ? "Request is missing Authentication Token"
        : "Missing Authentication Token";
      return frontError(service, "MissingAuthenticationTokenException", msg, 403);
    }
    const expired = caller.expiresAt !== undefined && Date.now() >= caller.expiresAt &&
      (ctx.opts.enforceCredentialExpiry ?? true);
    if (expired) {
      const msg = "The security token included in the request is expired";
      return frontError(service, "ExpiredTokenException", msg, 400);
    }
    const hostile = hostileAnswer(req, action, body, ctx);
    if (hostile) return hostile;
    if (service === "tagging") {
      const target = req.headers.get("x-amz-target") ?? "";
      return handleTagging(target, body, caller.account, scope.region, ctx, receivedAt);
    }
    if (service !== "sts") {
      return serveJson(
        service,
        { op, account: caller.account, region: scope.region, receivedAt },
        body,
        ctx,
      );
    }
    // Query protocol: params in the form body (what the SDK sends) or, for
    // hand-written GETs, in the query string.
    const params = new URLSearchParams(body);
    for (const [k, v] of new URL(req.url).searchParams) if (!params.has(k)) params.set(k, v);
    return handleSts(params, caller, ctx);
  } catch (err) {
    // A bug in the fake must surface as a server error, not a hung request.
    console.error("fake_aws: handler failed", err);
    return service === "sts"
      ? stsError(500, "InternalFailure", String(err))
      : service === "account" || service === "explorer"
      ? restError("InternalServerException", 500, { message: String(err) })
      : jsonError("InternalServiceException", String(err), 500);
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
    const body = raw[i].chunked
      ? ReadableStream.from([new TextEncoder().encode(raw[i].body)])
      : raw[i].body;
    return new Response(body, {
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
  const tls = ctx.opts.tls;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {}, ...tls },
    (req) => handle(req, ctx, sleeper),
  );
  const { port } = server.addr as Deno.NetAddr;
  let closing: Promise<void> | undefined;
  return {
    url: tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
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
