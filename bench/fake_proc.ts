/**
 * The parent's handle on a fake AWS running in its own process
 * (`fake_child.ts`), so the exporter under test does not share a CPU thread,
 * heap or event loop with the fake.
 *
 * @example
 * const fake = await new FakeProcess({ latencyMs: 100, rateLimitPerSecond: 15 }).start();
 * try {
 *   await fake.command("reset");
 *   // ... point a client at fake.url ...
 *   const stats = await fake.command("stats");
 * } finally {
 *   await fake.close();
 * }
 *
 * @module
 */

/** Resources per account and region: account id -> region -> count. */
export type Sizes = Record<string, Record<string, number>>;

/** What the child serves: `sizes` or, without it, the `org` organisation (org_fixture.ts). */
export interface FakeSpec {
  sizes?: Sizes;
  latencyMs: number;
  rateLimitPerSecond: number;
  /**
   * Share (0..1) of each target's resources that are never tagged: they
   * exist only in Resource Explorer, which gets an aggregator index in each
   * account's first region and its usual 3 calls/s limit. Unset: no index.
   */
  neverTaggedShare?: number;
}

/** The fake's counters, as the child reports them. */
export interface FakeReport {
  calls: Record<string, number>;
  /** GetResources calls over the per-account-region limit. */
  rateViolations: number;
  /** ThrottledException answers of any cause. */
  throttles: number;
  maxInFlight: number;
  /** CPU seconds the fake process has used since it started. */
  cpuSeconds: number;
  /** Resource Explorer's counters. */
  explorer: { calls: Record<string, number>; rateViolations: number };
}

/** A fake AWS in a child process. */
export class FakeProcess {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #lines: AsyncIterator<string>;
  url = "";

  constructor(spec: FakeSpec) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--frozen",
        `--config=${new URL("../deno.json", import.meta.url).pathname}`,
        "--allow-net",
        "--allow-read",
        "--allow-env",
        new URL("fake_child.ts", import.meta.url).pathname,
        JSON.stringify(spec),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = lines(this.#child.stdout)[Symbol.asyncIterator]();
  }

  /** Waits until the fake listens; `url` is then set. */
  async start(): Promise<this> {
    this.url = JSON.parse((await this.#lines.next()).value).url;
    return this;
  }

  /** Sends `stats`, `reset` or `latency <ms>` and returns the counters after it. */
  async command(cmd: "stats" | "reset" | `latency ${number}`): Promise<FakeReport> {
    await this.#writer.write(new TextEncoder().encode(cmd + "\n"));
    return JSON.parse((await this.#lines.next()).value);
  }

  async close(): Promise<void> {
    await this.#writer.close();
    await this.#child.status;
  }
}

/** The lines of a byte stream. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
}
