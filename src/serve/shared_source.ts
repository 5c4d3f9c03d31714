import { isDeepStrictEqual } from "node:util";
import type { Config } from "../config/model.ts";
import type { ResourceSource } from "../sources/source.ts";

/**
 * Config keys the live AWS source never reads: they shape what a scan
 * evaluates, keeps or renders, or when it runs. A reload that changes only
 * these keeps the source (credentials, sessions, API counters); any other
 * change, including a key added to `Config` later, builds a new one.
 */
const SCAN_ONLY: readonly (keyof Config)[] = [
  "requiredTags",
  "excludedResourceTypes",
  "detailMetrics",
  "refreshIntervalSeconds",
  "concurrency",
  "warnings",
  // Tag rules are compiled per scan plan; the AWS source never reads them.
  "rules",
  // Read by the exposition (labels) and the aggregator (type names).
  "exporterLabels",
  "resourceTypeFormat",
];

/** Whether a source built for `built` serves `next` as well as a new one would. */
export function sameSourceSettings(built: Config, next: Config): boolean {
  const settings = (c: Config) =>
    Object.fromEntries(Object.entries(c).filter(([k]) => !SCAN_ONLY.includes(k as keyof Config)));
  return isDeepStrictEqual(settings(built), settings(next));
}

/**
 * One live AWS source shared by the planners of successive configs. Each
 * planner gets a handle whose `close()` releases it; the source itself is
 * closed when the last handle is released, so a reload that keeps it
 * (`sameSourceSettings`) keeps its sessions, and one that replaces it
 * closes the old source once no planner uses it.
 *
 * @example
 * const shared = new SharedSource(createAwsSource(config, log), config);
 * const planner = await ScanPlanner.open(config, flags, "metrics", {
 *   log,
 *   awsSource: () => Promise.resolve(shared.handle()),
 * });
 */
export class SharedSource {
  #handles = 0;
  #closed = false;

  constructor(readonly source: ResourceSource, readonly config: Config) {}

  /** True once the last handle was released and the source closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether this source serves `config` (see `sameSourceSettings`). */
  serves(config: Config): boolean {
    return !this.#closed && sameSourceSettings(this.config, config);
  }

  /** The source for one more user; its `close()` releases this handle once. */
  handle(): ResourceSource {
    if (this.#closed) throw new Error("the shared source is closed (a bug)");
    this.#handles++;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      if (--this.#handles > 0) return;
      this.#closed = true;
      await this.source.close?.();
    };
    // Everything else goes to the source itself, bound to it (its private fields).
    return new Proxy(this.source, {
      get(target, key) {
        if (key === "close") return release;
        const value = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}
