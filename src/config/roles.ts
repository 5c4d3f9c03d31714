/** Looks like an AWS region: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eusc-de-east-1`. */
export const REGION_RE = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;

/** An IAM role ARN; group 1 is the partition, group 2 the account id. */
export const ROLE_ARN_RE =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*|aws-eusc):iam::(\d{12}):role\/[\w+=,.@\/-]{1,512}$/;

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}

/**
 * The role to assume for an account: the override's `role_arn` first, then
 * `assume_role_name_template` (a role name, a name containing `{account_id}`,
 * or a full ARN template), else null for "use the base credentials".
 */
export function resolveRoleArn(
  accountId: string,
  partition: string,
  overrideArn: string | null,
  template: string | null,
): string | null {
  if (overrideArn !== null) return overrideArn;
  if (template === null) return null;
  const filled = template.replaceAll("{account_id}", accountId).replaceAll(
    "{partition}",
    partition,
  );
  if (/\{[^}]*\}/.test(filled)) {
    throw new RangeError(
      `${
        JSON.stringify(template)
      } has an unknown placeholder (only {account_id} and {partition} are filled in)`,
    );
  }
  if (filled.startsWith("arn:")) return filled;
  return `arn:${partition}:iam::${accountId}:role/${filled.replace(/^role\//, "")}`;
}

const HOME_REGIONS: Record<string, string> = {
  "aws": "us-east-1",
  "aws-cn": "cn-north-1",
  "aws-us-gov": "us-gov-west-1",
  "aws-iso": "us-iso-east-1",
  "aws-iso-b": "us-isob-east-1",
  "aws-eusc": "eusc-de-east-1",
};

/**
 * The region that global APIs (Organizations, the Account API) are signed
 * for in `partition`, and the STS region of an account whose regions are
 * not listed (`regions: all`): enabled in every account of the partition.
 */
export function homeRegionOf(partition: string): string {
  return HOME_REGIONS[partition] ?? "us-east-1";
}
