/**
 * Compiles `excluded_resource_types` patterns into one predicate over the
 * string `service:type`. Matching is case-insensitive. A pattern containing
 * `*` is a glob anchored at both ends (`eks:*` matches every EKS type); any
 * other pattern matches as a substring (`pod` matches any type containing
 * "pod").
 *
 * @example
 * const excluded = compileExclusions(["eks:*", "pod"]);
 * excluded("eks:nodegroup"); // true
 * excluded("ec2:instance"); // false
 */
export function compileExclusions(patterns: readonly string[]): (serviceType: string) => boolean {
  if (patterns.length === 0) return () => false;
  const alternatives = patterns.map((p) => {
    if (!p.includes("*")) return escapeRegExp(p);
    return "^" + p.split("*").map(escapeRegExp).join(".*") + "$";
  });
  const re = new RegExp(alternatives.join("|"), "i");
  return (serviceType) => re.test(serviceType);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
