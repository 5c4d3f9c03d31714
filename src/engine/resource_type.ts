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
  // As `parseArn`, by index: this runs once per resource, and splitting every
  // ARN into parts (then joining the resource part) was most of its cost.
  if (!arn.startsWith("arn:")) return UNKNOWN;
  const partitionEnd = arn.indexOf(":", 4);
  const serviceEnd = partitionEnd < 0 ? -1 : arn.indexOf(":", partitionEnd + 1);
  const regionEnd = serviceEnd < 0 ? -1 : arn.indexOf(":", serviceEnd + 1);
  const accountEnd = regionEnd < 0 ? -1 : arn.indexOf(":", regionEnd + 1);
  if (accountEnd < 0 || serviceEnd === partitionEnd + 1) return UNKNOWN;
  const service = arn.slice(partitionEnd + 1, serviceEnd);
  let start = accountEnd + 1;
  if (arn.charCodeAt(start) === SLASH) start++;
  for (let i = start; i < arn.length; i++) {
    const c = arn.charCodeAt(i);
    if (c !== SLASH && c !== COLON) continue;
    return { service, type: i === start ? service : arn.slice(start, i) };
  }
  return { service, type: BARE_NAME_TYPES[service] ?? service };
}

const SLASH = 0x2f;
const COLON = 0x3a;
