import type { ConfigDocument } from "./document.ts";
import type { AccountConfig, Config, UntaggedConfig } from "./model.ts";
import { REGION_RE } from "./roles.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

const UNTAGGED_KEYS = ["enabled", "index_region", "view_arn"] as const;

/** `untagged_resources` when the key is absent: off. */
export const UNTAGGED_OFF: UntaggedConfig = Object.freeze({
  enabled: false,
  indexRegion: null,
  viewArn: null,
});

/** A view ARN, the account part possibly `{account_id}`; group 1 is the region. */
const VIEW_ARN_RE =
  /^arn:aws[a-z-]*:resource-explorer-2:([a-z0-9-]+):(?:\d{12}|\{account_id\}):view\/[^/\s]+\/[^/\s]+$/;

/**
 * Reads `untagged_resources`: true, false, or `{enabled, index_region,
 * view_arn}`. A view lives in one region, so `view_arn` fixes the index
 * region; an `index_region` that names another one is an error.
 */
export function parseUntagged(v: Validator, value: unknown): UntaggedConfig {
  const doc: ConfigDocument = v.doc;
  const path = ["untagged_resources"];
  if (value === undefined || value === null) return UNTAGGED_OFF;
  if (typeof value === "boolean") return Object.freeze({ ...UNTAGGED_OFF, enabled: value });
  if (!isRecord(value)) {
    doc.fail(
      path,
      `must be true, false or a mapping with enabled, index_region and view_arn, got ${
        describe(value)
      }`,
    );
  }
  doc.checkKeys(path, value, UNTAGGED_KEYS);
  // Each key is read on its own, so every broken one is reported.
  const enabled = doc.attempt(() =>
    value.enabled === undefined ? true : v.bool([...path, "enabled"], value.enabled)
  );
  const indexRegion = doc.attempt(() => {
    const region = v.optString([...path, "index_region"], value.index_region);
    if (region !== null && !REGION_RE.test(region)) {
      doc.fail(
        [...path, "index_region"],
        `${JSON.stringify(region)} is not an AWS region name (e.g. "us-east-1")`,
      );
    }
    return region;
  });
  const view = doc.attempt(() => {
    const arn = v.optString([...path, "view_arn"], value.view_arn);
    const m = arn === null ? null : VIEW_ARN_RE.exec(arn);
    if (arn !== null && (!m || !REGION_RE.test(m[1]))) {
      doc.fail(
        [...path, "view_arn"],
        `${JSON.stringify(arn)} is not a Resource Explorer view ARN ` +
          `(arn:aws:resource-explorer-2:<region>:{account_id}:view/<name>/<id>)`,
      );
    }
    return { arn, region: m?.[1] ?? null };
  });
  const { arn: viewArn, region: viewRegion } = doc.need(view);
  const region = doc.need(indexRegion);
  if (region !== null && viewRegion !== null && viewRegion !== region) {
    doc.fail(
      [...path, "index_region"],
      `${region} differs from the view's region ${viewRegion} (a view is queried in its own ` +
        `region: remove index_region, or use a view of ${region})`,
    );
  }
  return Object.freeze({ enabled: doc.need(enabled), indexRegion: region, viewArn });
}

/**
 * Where an account's Resource Explorer pass runs: the view's region, else
 * `index_region`, else `sts_region`, else the account's first region.
 */
export function indexRegionOf(config: Config, account: AccountConfig): string {
  const u = config.untaggedResources;
  if (u.viewArn !== null) return u.viewArn.split(":")[3];
  return u.indexRegion ?? config.aws.stsRegion ?? account.regions[0];
}

/** The account's view ARN (`{account_id}` filled in), or null for the default view. */
export function viewArnOf(config: Config, account: AccountConfig): string | null {
  return config.untaggedResources.viewArn?.replaceAll("{account_id}", account.id) ?? null;
}
