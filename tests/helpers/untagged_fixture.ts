/**
 * The truth fixture of the `untagged_resources` tests: two accounts, five
 * account-regions (one empty), never-tagged resources of four types, IAM
 * (global), index lag, a type without tags and an indexed region that is not
 * configured. Shared by the live and the offline (saved output) tests.
 */

import type { FakeAwsOptions } from "../fake_aws/mod.ts";
import { makeConfig, resourceAt } from "./aws.ts";
import { explorerFor, inventoryWithRoles, neverTaggedIn } from "./untagged.ts";

export const A = "111111111111";
export const B = "222222222222";
export const E1 = "us-east-1";
export const W1 = "eu-west-1";
export const AP = "ap-southeast-2";

// B lists eu-west-1 first: its index region defaults to its first region.
export const SIZES = { [A]: { [E1]: 300, [W1]: 150, [AP]: 0 }, [B]: { [W1]: 80, [E1]: 120 } };
export const STALE = [resourceAt(A, W1, 5).ResourceARN, resourceAt(B, E1, 7).ResourceARN];
export const DHCP = `arn:aws:ec2:${W1}:${A}:dhcp-options/dopt-never`;
export const UNSUPPORTED: Record<string, Record<string, number>> = {
  [`${A}/${W1}`]: { "ec2:dhcp-options": 1 },
};

export function options(): FakeAwsOptions & {
  resourceExplorer: NonNullable<FakeAwsOptions["resourceExplorer"]>;
} {
  return {
    inventory: inventoryWithRoles(SIZES),
    resourceExplorer: explorerFor(
      { [A]: E1, [B]: W1 },
      { [A]: [E1, W1, AP, "us-west-2"], [B]: [W1, E1] },
      {
        [A]: {
          [E1]: [
            ...neverTaggedIn(A, E1, 37),
            { Arn: `arn:aws:iam::${A}:role/never-1` },
            { Arn: `arn:aws:iam::${A}:role/never-2` },
          ],
          [W1]: [...neverTaggedIn(A, W1, 23), { Arn: DHCP, supportsTags: false }],
          [AP]: neverTaggedIn(A, AP, 4),
          // Indexed, but not configured: ignored.
          "us-west-2": neverTaggedIn(A, "us-west-2", 3),
        },
        [B]: { [W1]: neverTaggedIn(B, W1, 9), [E1]: [{ Arn: `arn:aws:iam::${B}:user/never` }] },
      },
      { staleArns: STALE },
    ),
  };
}

export function config(url: string, extra = "") {
  const accounts = Object.fromEntries(Object.entries(SIZES).map(([a, r]) => [a, Object.keys(r)]));
  return makeConfig({ accounts, endpointUrl: url, extra });
}

export const ON = "untagged_resources: {enabled: true}";

/** Every configured account-region of the fixture. */
export function targets(): [string, string][] {
  return Object.entries(SIZES).flatMap(([a, r]) =>
    Object.keys(r).map((g) => [a, g] as [string, string])
  );
}
