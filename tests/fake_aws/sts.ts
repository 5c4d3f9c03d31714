/**
 * STS over the AWS Query protocol (form-urlencoded request, XML response),
 * which is what @aws-sdk/client-sts 3.1174.0 sends (`AwsQueryProtocol`,
 * version 2011-06-15). Implements AssumeRole and GetCallerIdentity.
 *
 * @module
 */

import { type FakeContext, requestId } from "./context.ts";
import type { Caller } from "./identity.ts";

const XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";
const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME_RE = /^[\w+=,.@-]*$/;
const EXTERNAL_ID_RE = /^[\w+=,.@:/-]*$/;

/** Escapes text for an XML element body. */
function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function xmlResponse(status: number, body: string, reqId: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
    status,
    headers: { "content-type": "text/xml", "x-amzn-RequestId": reqId },
  });
}

/**
 * An STS error in Query-protocol form. `Type` is Sender for 4xx, Receiver for
 * 5xx, as AWS does; the SDK maps `Code` to the error's `name`.
 */
export function stsError(status: number, code: string, message: string): Response {
  const reqId = requestId();
  const type = status >= 500 ? "Receiver" : "Sender";
  return xmlResponse(
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${xml(code)}</Code>` +
      `<Message>${xml(message)}</Message></Error><RequestId>${reqId}</RequestId></ErrorResponse>`,
    reqId,
  );
}

function validation(field: string, value: string | null, constraint: string): Response {
  const shown = value === null ? "null" : `'${value}'`;
  return stsError(
    400,
    "ValidationError",
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function success(action: string, inner: string): Response {
  const reqId = requestId();
  return xmlResponse(
    200,
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${inner}</${action}Result>` +
      `<ResponseMetadata><RequestId>${reqId}</RequestId></ResponseMetadata></${action}Response>`,
    reqId,
  );
}

/** AWS prints STS timestamps without milliseconds. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function assumeRole(p: URLSearchParams, caller: Caller, ctx: FakeContext): Response {
  const roleArn = p.get("RoleArn");
  const sessionName = p.get("RoleSessionName");
  const externalId = p.get("ExternalId");
  const durationRaw = p.get("DurationSeconds");
  const duration = durationRaw === null ? undefined : Number(durationRaw);
  ctx.stats.assumeRoleRequests.push({
    RoleArn: roleArn ?? undefined,
    RoleSessionName: sessionName ?? undefined,
    ExternalId: externalId ?? undefined,
    DurationSeconds: duration,
    callerAccount: caller.account,
  });
  const arnMatch = roleArn === null ? null : ROLE_ARN_RE.exec(roleArn);
  if (arnMatch) {
    const acct = arnMatch[1];
    ctx.stats.assumeRoleByAccount[acct] = (ctx.stats.assumeRoleByAccount[acct] ?? 0) + 1;
  }

  if (roleArn === null) return validation("roleArn", null, "Member must not be null");
  if (sessionName === null) return validation("roleSessionName", null, "Member must not be null");
  if (!arnMatch) return stsError(400, "ValidationError", `${roleArn} is invalid`);
  if (sessionName.length < 2 || sessionName.length > 64) {
    return validation(
      "roleSessionName",
      sessionName,
      "Member must have length less than or equal to 64 and greater than or equal to 2",
    );
  }
  if (!SESSION_NAME_RE.test(sessionName)) {
    return validation(
      "roleSessionName",
      sessionName,
      "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  if (
    duration !== undefined && (!Number.isInteger(duration) || duration < 900 || duration > 43200)
  ) {
    return validation(
      "durationSeconds",
      durationRaw,
      "Member must have value less than or equal to 43200 and greater than or equal to 900",
    );
  }
  if (
    externalId !== null &&
    (externalId.length < 2 || externalId.length > 1224 || !EXTERNAL_ID_RE.test(externalId))
  ) {
    return validation("externalId", externalId, "Member must satisfy regular expression pattern");
  }

  const account = arnMatch[1];
  const denied =
    `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
  const exists = account in ctx.opts.inventory || account === ctx.baseAccountId;
  if (!exists || ctx.opts.deniedAccounts?.includes(account)) {
    return stsError(403, "AccessDenied", denied);
  }
  const requiredExternalId = ctx.opts.requireExternalId?.[account];
  if (requiredExternalId !== undefined && externalId !== requiredExternalId) {
    return stsError(403, "AccessDenied", denied);
  }

  const seconds = ctx.opts.credentialExpirySeconds ?? duration ?? 3600;
  const creds = ctx.identity.issue(account, roleArn, sessionName, seconds);
  ctx.stats.issuedSecrets.push(creds.secretAccessKey, creds.sessionToken);
  ctx.stats.issuedAccessKeyIds.push(creds.accessKeyId);
  const [roleId] = creds.caller.userId.split(":");
  return success(
    "AssumeRole",
    `<Credentials><AccessKeyId>${creds.accessKeyId}</AccessKeyId>` +
      `<SecretAccessKey>${xml(creds.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${xml(creds.sessionToken)}</SessionToken>` +
      `<Expiration>${isoSeconds(creds.expiration)}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>${xml(`${roleId}:${sessionName}`)}</AssumedRoleId>` +
      `<Arn>${xml(creds.caller.arn)}</Arn></AssumedRoleUser>`,
  );
}

function getCallerIdentity(caller: Caller): Response {
  return success(
    "GetCallerIdentity",
    `<Arn>${xml(caller.arn)}</Arn><UserId>${xml(caller.userId)}</UserId>` +
      `<Account>${caller.account}</Account>`,
  );
}

/**
 * Handles one STS Query request whose form params are `params`.
 * The caller is already authenticated by the server.
 */
export function handleSts(params: URLSearchParams, caller: Caller, ctx: FakeContext): Response {
  const action = params.get("Action");
  if (action === "AssumeRole") {
    ctx.stats.calls.AssumeRole++;
    return assumeRole(params, caller, ctx);
  }
  if (action === "GetCallerIdentity") {
    ctx.stats.calls.GetCallerIdentity++;
    return getCallerIdentity(caller);
  }
  ctx.stats.calls.Other++;
  return stsError(
    400,
    "InvalidAction",
    `Could not find operation ${action} for version ${params.get("Version") ?? "NO_VERSION"}`,
  );
}
