/**
 * Summarises a V8 `.cpuprofile` (from `deno run --cpu-prof`) into the costs
 * an optimiser of the scan path cares about. Each sample is charged to the
 * first cost whose rule matches walking from the sampled frame towards the
 * root; Deno runtime and Node-compat frames (`ext:`) match no rule, so their
 * time goes to the code that called them (a `TextEncoder.encode` called by the
 * file writer is "write the output file").
 *
 * Async stacks are cut at the microtask queue, so a cost is only as precise
 * as the synchronous chain above a sample: e.g. the credential chain's work
 * after an `await` shows under "SDK config and credential providers", not
 * under the client constructor that started it.
 *
 * @module
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The JSON of a `.cpuprofile` file. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const IDLE = "idle (waiting on I/O)";
const HTTP_MODULES =
  /^(node:_http|@smithy\/node-http-handler|ext:deno_node\/(net|_tls|http|internal_binding\/(http_parser|tcp)))/;
const esc = (s: string) => s.replaceAll("|", "\\|");

type Rule = readonly [cost: string, test: (f: CallFrame, module: string) => boolean];

const fn = (re: RegExp) => (f: CallFrame) => re.test(f.functionName);
const mod = (re: RegExp) => (_: CallFrame, m: string) => re.test(m);

/** Costs, most specific first (a frame is tested against every rule in order). */
const RULES: readonly Rule[] = [
  ["GC", fn(/^\(garbage collector\)$/)],
  [IDLE, fn(/^\(idle\)$/)],
  ["V8 (program: compile, IC misses)", fn(/^\(program\)$/)],
  ["start-up: module loading", (f, m) => m === "node:module" || /^op_require/.test(f.functionName)],
  [
    "SigV4 signing (key derivation, HMAC, SHA-256)",
    (f, m) =>
      /^(@smithy\/signature-v4|@smithy\/core\/checksum|@aws-sdk\/core\/httpAuthSchemes)$/.test(m) ||
      /^(Sha256Node|createHash|hmac|getSigningKey|signRequest)$/.test(f.functionName),
  ],
  [
    "SDK config resolution per client (env, ~/.aws files, os release)",
    (f, m) => m === "@smithy/core/config" || /^op_(os_release|get_env)$/.test(f.functionName),
  ],
  ["render: prom-client aggregate families", mod(/^prom-client$/)],
  ["render: streaming detail writer", mod(/^src\/metrics\/detail\.ts$/)],
  ["render: registry building and labels", mod(/^src\/metrics\//)],
  ["write the output file (encode, write)", mod(/^src\/output\//)],
  ["page -> records (toRecords)", mod(/^src\/aws\/resource_pages\.ts$/)],
  ["evaluate (TargetAggregator, resourceKind)", mod(/^(src\/engine\/|@aws-sdk\/util-arn-parser)/)],
  [
    "HTTP client and sockets (node:http compat: connect, write, close)",
    (f, m) =>
      HTTP_MODULES
        .test(m) ||
      /^(writev|close|op_net_connect.*)$/.test(f.functionName),
  ],
  [
    "SDK serde (JSON/XML codecs, schemas)",
    mod(
      /^(@smithy\/core\/(protocols|schema|serde)|@aws-sdk\/core\/(protocols|util)|@aws-sdk\/xml)/,
    ),
  ],
  ["SDK endpoint resolution", mod(/^@smithy\/core\/endpoints$/)],
  ["SDK middleware, retry, user agent, client classes", mod(/^(@smithy|@aws-sdk)\//)],
  ["config load (YAML)", mod(/^(yaml|src\/config\/)/)],
  ["exporter scan plumbing (runner, source, limiter)", mod(/^(src\/|p-limit)/)],
  ["runtime: microtasks and timers", fn(/^op_run_microtasks$|^(processTimers|listOnTimeout)$/)],
];

/**
 * Functions whose inclusive time is shown: their synchronous callees count,
 * work they started that finished after an `await` does not.
 */
const INCLUSIVE: readonly Rule[] = [
  [
    "new ResourceGroupsTaggingAPIClient",
    (f) => f.functionName === "ResourceGroupsTaggingAPIClient",
  ],
  [
    "client.destroy (closes its sockets)",
    (f, m) => f.functionName === "destroy" && m.startsWith("@aws-sdk/client-"),
  ],
  ["SigV4 getSigningKey", (f) => f.functionName === "getSigningKey"],
  ["parseConfig", (f, m) => f.functionName === "parseConfig" && m.startsWith("src/")],
  ["aggregateChunks (streamed aggregate families)", (f) => f.functionName === "aggregateChunks"],
  ["detailChunks (streaming writer)", (f) => f.functionName === "detailChunks"],
  ["pipeChunks (render + write the file)", (f) => f.functionName === "pipeChunks"],
];

/**
 * `@scope/pkg` for npm files (`@scope/pkg/sub` for a bundle's submodule, as
 * in `@smithy/core/config`), `src/...` for the project's, the URL otherwise.
 */
export function moduleOf(url: string): string {
  const npm = /registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  const sub = /\/submodules\/([^/]+)\//.exec(url);
  if (npm) return sub ? `${npm[1]}/${sub[1]}` : npm[1];
  const src = /\/((?:src|bench|tests)\/.*)$/.exec(url);
  if (src && url.startsWith("file:")) return src[1];
  if (url.endsWith("/main.ts")) return "main.ts";
  return url;
}

/** Time (ms) by cost, by self-time function and by both, and the profile's length. */
export function costs(p: CpuProfile): {
  byCost: Map<string, number>;
  byFunction: Map<string, number>;
  byCostFunction: Map<string, Map<string, number>>;
  inclusive: Map<string, number>;
  totalMs: number;
} {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const costOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = costOf.get(id);
    if (known !== undefined) return known;
    const f = byId.get(id)!.callFrame;
    const m = moduleOf(f.url);
    const rule = RULES.find(([, test]) => test(f, m));
    const up = parent.get(id);
    const cost = rule ? rule[0] : up === undefined ? `other: ${m || f.functionName}` : classify(up);
    costOf.set(id, cost);
    return cost;
  };
  const byCost = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCostFunction = new Map<string, Map<string, number>>();
  const inclusive = new Map<string, number>(INCLUSIVE.map(([label]) => [label, 0]));
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let totalMs = 0;
  p.samples.forEach((id, i) => {
    // timeDeltas[i] is the gap before sample i; the gap after it is its duration.
    const ms = (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const cost = classify(id);
    add(byCost, cost, ms);
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || "(anonymous)"} (${moduleOf(f.url) || "native"})`;
    add(byFunction, name, ms);
    if (!byCostFunction.has(cost)) byCostFunction.set(cost, new Map());
    add(byCostFunction.get(cost)!, name, ms);
    const within = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      const m = moduleOf(frame.url);
      for (const [label, test] of INCLUSIVE) if (test(frame, m)) within.add(label);
    }
    for (const label of within) add(inclusive, label, ms);
  });
  return { byCost, byFunction, byCostFunction, inclusive, totalMs };
}

/** Markdown: the top costs and top self-time functions, as shares of busy (non-idle) time. */
export function summariseProfile(p: CpuProfile, top = 10): string {
  const { byCost, byFunction, byCostFunction, inclusive, totalMs } = costs(p);
  const idle = byCost.get(IDLE) ?? 0;
  const busy = totalMs - idle;
  const pctOf = (ms: number) => `${(ms / busy * 100).toFixed(1)}%`;
  const sorted = (m: Map<string, number>) =>
    [...m].filter(([k]) => !k.startsWith(IDLE) && !k.startsWith("(idle)"))
      .sort((a, b) => b[1] - a[1]);
  const table = (title: string, m: Map<string, number>, detail: boolean) => {
    const rows = sorted(m).slice(0, top);
    return [
      `| ${title} | s | % of busy |${detail ? " largest self-time functions in it |" : ""}`,
      `|---|---:|---:|${detail ? "---|" : ""}`,
      ...rows.map(([k, ms]) => {
        const share = `| ${esc(k)} | ${(ms / 1000).toFixed(2)} | ${(ms / busy * 100).toFixed(1)} |`;
        if (!detail) return share;
        const inside = sorted(byCostFunction.get(k)!).slice(0, 3)
          .map(([f, t]) => `${esc(f)} ${(t / ms * 100).toFixed(0)}%`);
        return `${share} ${inside.join(", ")} |`;
      }),
    ].join("\n");
  };
  return [
    `Sampled ${(totalMs / 1000).toFixed(1)} s: busy ${(busy / 1000).toFixed(1)} s, idle ` +
    `${(idle / 1000).toFixed(1)} s.\n`,
    table(`top ${top} costs`, byCost, true),
    "",
    table(`top ${top} functions by self time`, byFunction, false),
    "",
    "Inclusive time of some entry points (synchronous part only): " +
    [...inclusive].map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)} s (${pctOf(ms)})`).join(", ") +
    ".",
    "",
  ].join("\n");
}

if (import.meta.main) {
  console.log(summariseProfile(JSON.parse(await Deno.readTextFile(Deno.args[0])), 15));
}
