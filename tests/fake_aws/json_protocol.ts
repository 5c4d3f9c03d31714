/**
 * Response builders for the two JSON protocols the fake speaks.
 *
 * awsJson1.1 (Tagging, Organizations): the SDK takes the error code from the
 * body's `__type` first, then `code`, then the `x-amzn-ErrorType` header.
 * restJson1 (Account, Resource Explorer): the header first, then body
 * `code`, then `__type`; the SDK cuts the header at `:` (see
 * `loadRestJsonErrorCode`/`sanitizeErrorCode` in @smithy/core), which is why
 * real API Gateway-fronted services can send `Code:http://...` there.
 *
 * @module
 */

import { requestId } from "./context.ts";

const AWS_JSON_TYPE = "application/x-amz-json-1.1";

/**
 * An awsJson1.1 error: status + `{"__type", "Message", ...extra}` body + the
 * `x-amzn-ErrorType` header (the SDK accepts either; we send both like AWS).
 * `extra` carries modelled members such as Organizations' `Reason`.
 */
export function jsonError(
  code: string,
  message: string,
  status = 400,
  extra: Record<string, unknown> = {},
): Response {
  return new Response(JSON.stringify({ __type: code, Message: message, ...extra }), {
    status,
    headers: {
      "content-type": AWS_JSON_TYPE,
      "x-amzn-RequestId": requestId(),
      "x-amzn-ErrorType": code,
    },
  });
}

/** A successful awsJson1.1 response. */
export function jsonOk(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": AWS_JSON_TYPE, "x-amzn-RequestId": requestId() },
  });
}

/**
 * A restJson1 error. `body` holds the modelled members exactly as the service
 * spells them (Account: lower-case `message`; Resource Explorer: `Message`).
 * The header carries the code with a namespace suffix after `:` as API
 * Gateway does; the SDK strips it.
 */
export function restError(code: string, status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "x-amzn-RequestId": requestId(),
      "x-amzn-ErrorType": `${code}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
    },
  });
}

/** A successful restJson1 response. */
export function restOk(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/json", "x-amzn-RequestId": requestId() },
  });
}

/** Error code a fake response carries (header without the `:` suffix), if any. */
export function errorCodeOf(res: Response): string | undefined {
  return res.headers.get("x-amzn-ErrorType")?.split(":")[0] ?? undefined;
}
