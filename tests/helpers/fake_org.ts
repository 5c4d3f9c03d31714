/**
 * A fixture organization for the fake Organizations tests: three OU levels
 * under Prod, a Sandbox OU big enough to page, accounts in every state.
 */

import { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { FakeAws, FakeOrganization } from "../fake_aws/mod.ts";
import { BASE_CREDS, type Creds } from "./fake_sdk.ts";

export const MGMT = "000000000000";
export const OU_PROD = "ou-ab12-prod0001";
export const OU_EU = "ou-ab12-prodeu01";
export const OU_DE = "ou-ab12-prodde01";
export const OU_SANDBOX = "ou-ab12-sandbox1";

/** Root -> Prod -> EU -> DE (three OU levels) plus a Sandbox OU holding 25 accounts: 30 in all. */
export function organization(extra: Partial<FakeOrganization> = {}): FakeOrganization {
  const sandbox = Array.from({ length: 25 }, (_, i) => ({
    Id: `5000000000${String(i).padStart(2, "0")}`,
    Name: `sandbox-${i}`,
    parentId: OU_SANDBOX,
  }));
  return {
    managementAccountId: MGMT,
    units: [
      { Id: OU_PROD, Name: "Prod", parentId: "r-ab12" },
      { Id: OU_EU, Name: "EU", parentId: OU_PROD },
      { Id: OU_DE, Name: "DE", parentId: OU_EU },
      { Id: OU_SANDBOX, Name: "Sandbox", parentId: "r-ab12" },
    ],
    accounts: [
      { Id: MGMT, Name: "management" },
      { Id: "111111111111", Name: "prod", parentId: OU_PROD },
      { Id: "222222222222", Name: "eu", parentId: OU_EU, State: "SUSPENDED" },
      { Id: "333333333333", Name: "de", parentId: OU_DE, State: "PENDING_CLOSURE" },
      { Id: "444444444444", Name: "old", parentId: OU_DE, State: "CLOSED" },
      ...sandbox,
    ],
    ...extra,
  };
}

/** An Organizations client on the fake with retries off, so each error reaches the test. */
export function orgClient(fake: FakeAws, credentials: Creds = BASE_CREDS): OrganizationsClient {
  return new OrganizationsClient({
    endpoint: fake.url,
    region: "us-east-1",
    credentials,
    maxAttempts: 1,
  });
}
