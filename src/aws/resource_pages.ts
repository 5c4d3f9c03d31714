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
 * an empty token or, with a warning, on any token it was given before for this
 * target: the SDK's own paginators only catch a token that repeats the
 * previous one, and a cycle (A -> B -> A) would page until the target timed
 * out. The tokens are kept for the target's life (a few hundred bytes per
 * page of 100 resources). An expired token asks the runner to
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
  const seen = new Set<string>();
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
    if (seen.has(next)) {
      log.warn(
        "GetResources returned a pagination token it had returned before; paging stops here",
        {
          ...fields,
          page: page + 1,
          repeats: next === token ? "the token it was given" : "an earlier page's token",
        },
      );
      return;
    }
    seen.add(next);
    token = next;
  }
}
