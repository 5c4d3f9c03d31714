import {
  GetResourcesCommand,
  type ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { RestartTarget } from "../errors.ts";
import type { Fields, Logger } from "../log.ts";
import type { ResourceRecord } from "../model.ts";
import { toRecords } from "../sources/tag_mapping.ts";
import { awsTargetError } from "./aws_error.ts";

/** The most GetResources returns per page. */
export const PAGE_SIZE = 100;

/**
 * Pages through GetResources one call after another and yields each page as
 * plain records the moment it arrives, so the caller evaluates while the next
 * page is fetched and a target is never held in memory. The page loop ends on
 * an empty token or, with a warning, on a token that repeats the previous one
 * (as the SDK's own paginators do). An expired token asks the runner to
 * restart the target; any other error, after the SDK's retries, becomes a
 * `TargetError` with the AWS error code. With `complianceDetails` (config
 * `aws_tag_policy`) each page also carries AWS's tag policy verdicts.
 */
export async function* resourcePages(
  client: ResourceGroupsTaggingAPIClient,
  signal: AbortSignal,
  log: Logger,
  fields: Fields,
  complianceDetails = false,
): AsyncGenerator<ResourceRecord[]> {
  let token: string | undefined;
  for (let page = 0;; page++) {
    let out;
    try {
      out = await client.send(
        new GetResourcesCommand({
          ResourcesPerPage: PAGE_SIZE,
          PaginationToken: token,
          ...(complianceDetails && { IncludeComplianceDetails: true }),
        }),
        { abortSignal: signal },
      );
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      if ((e as Error)?.name === "PaginationTokenExpiredException") {
        throw new RestartTarget(`GetResources pagination token expired at page ${page + 1}`);
      }
      throw awsTargetError(e, "GetResources");
    }
    yield toRecords(out.ResourceTagMappingList ?? []);
    const next = out.PaginationToken;
    if (!next) return;
    if (next === token) {
      log.warn("GetResources returned the token it was given; paging stops here", {
        ...fields,
        page: page + 1,
      });
      return;
    }
    token = next;
  }
}
