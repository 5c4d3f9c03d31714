import type { ResourceSource, Target } from "../sources/source.ts";
import { targetKey } from "../sources/source.ts";

/**
 * `source`, except that the targets in `failures` fail with their error
 * without a call: an account whose enabled regions could not be listed
 * fails like one whose AssumeRole failed, with the reason, in every output.
 * It does not close `source`: its owner does.
 */
export function withFailures(
  source: ResourceSource,
  failures: ReadonlyMap<string, Error>,
): ResourceSource {
  if (failures.size === 0) return source;
  return {
    pages(target: Target, signal: AbortSignal) {
      const error = failures.get(targetKey(target));
      return error === undefined ? source.pages(target, signal) : fail(error);
    },
    startScan: (targets) => source.startScan?.(targets),
    apiCounts: source.apiCounts ? () => source.apiCounts!() : undefined,
    untaggedCoverage: source.untaggedCoverage
      ? (target: Target) => source.untaggedCoverage!(target)
      : undefined,
    directory: source.directory,
  };
}

// deno-lint-ignore require-yield
async function* fail(error: Error): AsyncGenerator<never> {
  throw error;
}
