/**
 * Option and data types of the fake Resource Explorer (resource-explorer-2).
 *
 * The index of an account is built from two sources: every resource of the
 * Tagging `inventory` of that account (with its tags, as GetResources sees
 * them) and the `neverTagged` resources that exist only in the index. Both
 * are read live.
 *
 * @module
 */

import type { FakeFault } from "./faults.ts";

/** A view in the region of its index. */
export interface FakeExplorerView {
  /** View name (ARN: `...:view/<name>/<uuid>`). */
  name: string;
  /** The view includes the `tags` property (default true). Without it, tag filters are rejected. */
  includeTags?: boolean;
  /** The view's own filter, ANDed with every query (default none). */
  filter?: string;
}

/** The index of one account in one region. */
export interface FakeExplorerIndex {
  type: "LOCAL" | "AGGREGATOR";
  /**
   * The region's default view (name "default"), used when a call has no
   * ViewArn. null -> no default view (ListResources without ViewArn gets 401).
   * Default `{ name: "default", includeTags: true }`.
   */
  defaultView?: FakeExplorerView | null;
  /** More views in this region, addressed by ViewArn. */
  views?: FakeExplorerView[];
}

/** A resource only the index knows (never tagged, so GetResources never returns it). */
export interface FakeExplorerResource {
  Arn: string;
  /** Default: the ARN's service and resource type, e.g. "ec2:instance", "s3:bucket". */
  ResourceType?: string;
  /** Default: the ARN's region; "global" for IAM and other global services; else the map's region key. */
  Region?: string;
  /** Resource type supports tags (for `resourcetype.supports:tags`; default true). */
  supportsTags?: boolean;
  /**
   * How the index shows "no tags": "absent" -> `Properties: []`, "empty" ->
   * a tags property with `Data: []`. Default alternates by position.
   */
  untaggedForm?: "absent" | "empty";
}

/** Behaviour of the fake Resource Explorer. */
export interface FakeExplorerOptions {
  /** account -> region -> index ("LOCAL"/"AGGREGATOR" shorthand = default view with tags). */
  indexes: Record<string, Record<string, FakeExplorerIndex | "LOCAL" | "AGGREGATOR">>;
  /** account -> region -> resources that exist only in the index. */
  neverTagged?: Record<string, Record<string, FakeExplorerResource[]>>;
  /**
   * ARNs of inventory resources the index still shows without tags although
   * GetResources returns them tagged (index lag).
   */
  staleArns?: string[];
  /** Region whose LOCAL index holds global resources such as IAM (default "us-east-1"). */
  globalRegion?: string;
  /** Callers (accounts) denied by IAM -> 403 AccessDeniedException on every call. */
  deniedAccounts?: string[];
  /** Calls allowed per caller account/region per sliding second (default 3; 0 = off) -> 429 ThrottlingException. */
  rateLimitPerSecond?: number;
  /** Scripted errors, e.g. `{ op: "ListResources", code: "ThrottlingException" }`. */
  faults?: FakeFault[];
}
