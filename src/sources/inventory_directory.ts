import { TargetError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { AccountDirectory } from "./directory.ts";

/**
 * The accounts and regions an inventory holds (`keys` are
 * `account_id/region`), as `aws_organization` and `regions: all` see them
 * offline: every account is a member, named by its id, and its enabled
 * regions are the ones it has files for.
 */
export function inventoryDirectory(keys: readonly string[], log: Logger): AccountDirectory {
  const regions = new Map<string, string[]>();
  for (const key of keys) {
    const [id, region] = key.split("/");
    regions.set(id, [...regions.get(id) ?? [], region]);
  }
  return {
    memberAccounts(org) {
      if (org.includeOus !== null) {
        log.warn("an inventory has no OUs: aws_organization.include_ous is not applied to it");
      }
      return Promise.resolve([...regions.keys()].map((id) => ({ id, name: id })));
    },
    enabledRegions(account) {
      const found = regions.get(account.id);
      if (!found) {
        return Promise.reject(
          new TargetError(
            "NoInventory",
            `no inventory file covers account ${account.id} (regions: all takes its regions ` +
              "from the inventory)",
          ),
        );
      }
      return Promise.resolve([...found].sort());
    },
  };
}
