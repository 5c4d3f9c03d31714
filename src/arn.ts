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
