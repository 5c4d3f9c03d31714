const MAX = 64;

/**
 * The AssumeRole session name: `aws-tag-exporter-<account_id>`. It names the
 * tool and the account in CloudTrail, and stays within STS's limits (2-64
 * characters of `[\w+=,.@-]`) whatever it is given.
 */
export function sessionName(accountId: string, prefix = "aws-tag-exporter"): string {
  const name = `${prefix}-${accountId}`.replace(/[^\w+=,.@-]/g, "-");
  return name.length > MAX ? name.slice(0, MAX) : name;
}
