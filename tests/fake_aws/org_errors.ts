/**
 * Error answers of the fake Organizations service (awsJson1.1 bodies
 * `{"__type", "Message"}` plus `Reason` for InvalidInputException, as the
 * model's exception shapes define them).
 *
 * @module
 */

import { jsonError } from "./json_protocol.ts";

const MESSAGES: Record<string, string> = {
  AccessDeniedException: "You don't have permissions to access this resource.",
  AWSOrganizationsNotInUseException: "Your account is not a member of an organization.",
  TooManyRequestsException: "Rate exceeded",
  ServiceException: "AWS Organizations can't complete your request because of an internal " +
    "service error. Try again later.",
  ParentNotFoundException: "We can't find a root or OU with the ParentId that you specified.",
  ChildNotFoundException:
    "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
};

/** An Organizations error; ServiceException is the only 5xx in the model. */
export function orgError(
  code: string,
  message?: string,
  extra?: Record<string, unknown>,
  status?: number,
): Response {
  const usual = code === "ServiceException" ? 500 : 400;
  return jsonError(code, message ?? MESSAGES[code] ?? code, status ?? usual, extra);
}

/** InvalidInputException with its model `Reason`. */
export function invalidInput(reason: string, message: string): Response {
  return orgError("InvalidInputException", message, { Reason: reason });
}
