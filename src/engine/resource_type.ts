import { parseArn } from "../arn.ts";

/** The service and short type of a resource, derived from its ARN. */
export interface ResourceKind {
  readonly service: string;
  readonly type: string;
}

// ARNs whose resource part is a bare name (no `/` or `:`) name the type by
// service: `arn:aws:s3:::my-bucket`, `arn:aws:sns:...:my-topic`.
const BARE_NAME_TYPES: Readonly<Record<string, string>> = {
  s3: "bucket",
  sns: "topic",
  sqs: "queue",
};

const UNKNOWN: ResourceKind = { service: "unknown", type: "unknown" };

/**
 * Derives `{service, type}` from an ARN. The type is the first segment of the
 * resource part (after the fifth `:`), cut at `/` or `:`, skipping a leading
 * `/`. A resource part with no separator gets the service's default type
 * (`s3` -> `bucket`, `sns` -> `topic`, `sqs` -> `queue`, else the service).
 * A string that is not an ARN yields `unknown`.
 *
 * @example
 * resourceKind("arn:aws:ec2:us-east-1:123456789012:instance/i-1"); // {service: "ec2", type: "instance"}
 * resourceKind("arn:aws:s3:::my-bucket"); // {service: "s3", type: "bucket"}
 */
export function resourceKind(arn: string): ResourceKind {
  const parsed = parseArn(arn);
  if (parsed === null || parsed.service === "") return UNKNOWN;
  const service = parsed.service;
  let resource = parsed.resource;
  if (resource.startsWith("/")) resource = resource.slice(1);
  const cut = resource.search(/[/:]/);
  if (cut > 0) return { service, type: resource.slice(0, cut) };
  if (cut === 0) return { service, type: service };
  return { service, type: BARE_NAME_TYPES[service] ?? service };
}
