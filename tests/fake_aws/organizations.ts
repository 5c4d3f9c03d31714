/**
 * AWS Organizations over awsJson1.1 (`X-Amz-Target:
 * AWSOrganizationsV20161128.<Op>`, model organizations/2016-11-28):
 * ListAccounts, ListAccountsForParent, ListChildren, ListRoots,
 * ListOrganizationalUnitsForParent, ListParents and DescribeOrganization.
 *
 * Faithful to the model: MaxResults 1..20 (InvalidInputException with
 * Reason MIN_/MAX_VALUE_EXCEEDED), errors as `{"__type", "Message"[,
 * "Reason"]}`, timestamps as epoch seconds. List calls may answer an empty
 * page that still carries a NextToken (`emptyPageEvery`), as the API
 * reference warns. Default page size without MaxResults: 20 (the fake's
 * choice; AWS does not document one).
 *
 * @module
 */

import type { FakeContext, ServiceCall } from "./context.ts";
import { preflight } from "./faults.ts";
import { jsonOk } from "./json_protocol.ts";
import { invalidInput, orgError } from "./org_errors.ts";
import { orgAccountJson, orgUnitJson, paginate } from "./org_pages.ts";

/** X-Amz-Target prefix of Organizations. */
export const ORGANIZATIONS_TARGET_PREFIX = "AWSOrganizationsV20161128.";

const PARENT_ID_RE = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const CHILD_ID_RE = /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** Operations any member account may call (the rest need management/delegated admin). */
const MEMBER_OPS = new Set(["DescribeOrganization"]);

const OPS = new Set([
  "ListAccounts",
  "ListAccountsForParent",
  "ListChildren",
  "ListRoots",
  "ListOrganizationalUnitsForParent",
  "ListParents",
  "DescribeOrganization",
]);

/** Throttle, fault, membership and permission checks, in the order AWS would apply them. */
function gate(call: ServiceCall, ctx: FakeContext): Response | undefined {
  const org = ctx.opts.organization;
  const refused = preflight(ctx.organizations, call.account, org?.faults, call);
  if (refused === "throttled") return orgError("TooManyRequestsException");
  if (refused) {
    const extra = refused.reason === undefined ? {} : { Reason: refused.reason };
    return orgError(refused.code, refused.message, extra, refused.status);
  }
  const member = org !== undefined && (org.inUse ?? true) &&
    (call.account === org.managementAccountId || ctx.org.account(call.account) !== undefined);
  if (!member) return orgError("AWSOrganizationsNotInUseException");
  if (org.deniedCallers?.includes(call.account)) return orgError("AccessDeniedException");
  const admin = call.account === org.managementAccountId ||
    (org.delegatedAdmins ?? []).includes(call.account);
  if (!admin && !MEMBER_OPS.has(call.op)) return orgError("AccessDeniedException");
  return undefined;
}

/** Validates a ParentId member; returns the error to send, if any. */
function checkParent(id: unknown, ctx: FakeContext): Response | undefined {
  if (id === undefined || id === null || id === "") {
    return invalidInput("INPUT_REQUIRED", "You must specify a value for ParentId.");
  }
  if (typeof id !== "string" || !PARENT_ID_RE.test(id)) {
    return invalidInput("INVALID_PATTERN", `The ParentId ${String(id)} is not valid.`);
  }
  if (!ctx.org.isParent(id)) return orgError("ParentNotFoundException");
  return undefined;
}

function describeOrganization(ctx: FakeContext): Response {
  const org = ctx.org.org;
  const mgmt = org.managementAccountId;
  const mgmtAccount = ctx.org.account(mgmt);
  return jsonOk({
    Organization: {
      Id: ctx.org.orgId,
      Arn: `arn:aws:organizations::${mgmt}:organization/${ctx.org.orgId}`,
      FeatureSet: "ALL",
      MasterAccountArn: `arn:aws:organizations::${mgmt}:account/${ctx.org.orgId}/${mgmt}`,
      MasterAccountId: mgmt,
      MasterAccountEmail: mgmtAccount?.Email ?? `aws+${mgmt}@example.com`,
      AvailablePolicyTypes: [],
    },
  });
}

function answer(call: ServiceCall, ctx: FakeContext): Response {
  const { input, op } = call;
  const tree = ctx.org;
  const mgmt = tree.org.managementAccountId;
  switch (op) {
    case "DescribeOrganization":
      return describeOrganization(ctx);
    case "ListRoots":
      return paginate(call, ctx, op, [tree.rootId], "Roots", (id) => ({
        Id: id,
        Arn: `arn:aws:organizations::${mgmt}:root/${tree.orgId}/${id}`,
        Name: "Root",
        PolicyTypes: [],
      }));
    case "ListAccounts":
      return paginate(call, ctx, op, tree.org.accounts, "Accounts", (a) => orgAccountJson(a, ctx));
    case "ListAccountsForParent": {
      const bad = checkParent(input.ParentId, ctx);
      if (bad) return bad;
      const parent = input.ParentId as string;
      const accounts = tree.accountsIn(parent);
      return paginate(
        call,
        ctx,
        `${op}/${parent}`,
        accounts,
        "Accounts",
        (a) => orgAccountJson(a, ctx),
      );
    }
    case "ListOrganizationalUnitsForParent": {
      const bad = checkParent(input.ParentId, ctx);
      if (bad) return bad;
      const parent = input.ParentId as string;
      return paginate(call, ctx, `${op}/${parent}`, tree.unitsIn(parent), "OrganizationalUnits", (
        u,
      ) => orgUnitJson(u, ctx));
    }
    case "ListChildren": {
      const bad = checkParent(input.ParentId, ctx);
      if (bad) return bad;
      const type = input.ChildType;
      if (type === undefined) return invalidInput("INPUT_REQUIRED", "You must specify ChildType.");
      if (type !== "ACCOUNT" && type !== "ORGANIZATIONAL_UNIT") {
        return invalidInput("INVALID_ENUM", `The ChildType ${String(type)} is not valid.`);
      }
      const parent = input.ParentId as string;
      const ids = type === "ACCOUNT"
        ? tree.accountsIn(parent).map((a) => a.Id)
        : tree.unitsIn(parent).map((u) => u.Id);
      return paginate(call, ctx, `${op}/${parent}/${type}`, ids, "Children", (Id) => ({
        Id,
        Type: type,
      }));
    }
    case "ListParents": {
      const child = input.ChildId;
      if (typeof child !== "string" || !CHILD_ID_RE.test(child)) {
        return invalidInput("INVALID_PATTERN", `The ChildId ${String(child)} is not valid.`);
      }
      const parent = tree.parentOf(child);
      if (parent === undefined) return orgError("ChildNotFoundException");
      const type = parent === tree.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT";
      return paginate(
        call,
        ctx,
        `${op}/${child}`,
        [parent],
        "Parents",
        (Id) => ({ Id, Type: type }),
      );
    }
  }
  return orgError("UnknownOperationException", `Unknown operation ${op}`);
}

/** Handles one Organizations call (op = X-Amz-Target suffix). */
export function handleOrganizations(call: ServiceCall, ctx: FakeContext): Response {
  if (!OPS.has(call.op)) {
    return orgError("UnknownOperationException", `Unknown operation ${call.op}`);
  }
  return gate(call, ctx) ?? answer(call, ctx);
}
