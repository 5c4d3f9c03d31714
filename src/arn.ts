/**
 * ARN parsing for the engine and the inventory source. The SDK's
 * `util-arn-parser` does the same split, but the SDK stays under `src/aws/`,
 * so the layers below it have this ten-line equivalent (it also returns null
 * instead of throwing, which the per-resource hot path prefers).
 */

/** The parts of `arn:partition:service:region:account-id:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (S3 buckets, IAM). */
  readonly region: string;
  /** Empty for resources without an owner in the ARN (S3 buckets). */
  readonly accountId: string;
  /** Everything after the fifth `:`, which may itself contain `:`. */
  readonly resource: string;
}

/**
 * Splits an ARN into its parts, or returns null when `text` is not an ARN
 * (fewer than six `:`-separated parts, or no `arn` prefix).
 *
 * @example
 * parseArn("arn:aws:s3:::my-bucket"); // {partition: "aws", service: "s3", region: "", accountId: "", resource: "my-bucket"}
 * parseArn("i-123"); // null
 */
export function parseArn(text: string): Arn | null {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  const [, partition, service, region, accountId, ...resource] = parts;
  return { partition, service, region, accountId, resource: resource.join(":") };
}

/**
 * The account id and region of an ARN (either may be ""), or null when
 * `text` is not an ARN; as `parseArn`, without splitting the rest, for
 * checking every ARN of a large inventory.
 *
 * @example
 * arnPlace("arn:aws:ec2:us-east-1:123456789012:instance/i-1"); // ["123456789012", "us-east-1"]
 */
export function arnPlace(text: string): [account: string, region: string] | null {
  if (!text.startsWith("arn:")) return null;
  const service = text.indexOf(":", 4);
  const region = service < 0 ? -1 : text.indexOf(":", service + 1);
  const account = region < 0 ? -1 : text.indexOf(":", region + 1);
  const resource = account < 0 ? -1 : text.indexOf(":", account + 1);
  if (resource < 0) return null;
  return [text.slice(account + 1, resource), text.slice(region + 1, account)];
}
