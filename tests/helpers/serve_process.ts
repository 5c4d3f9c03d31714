/**
 * `serve` as it runs in production, for end-to-end tests: the real program
 * in a subprocess with exactly the serve task's permission flags from
 * deno.json, on port 0 (the bound port is read from its log).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DENO_DIR } from "./deno_dir.ts";
import { taskFlags } from "./run_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const MAIN = join(ROOT, "main.ts");
const decoder = new TextDecoder();

/** A scratch directory inside the repo: the serve task may only read below `.`. */
export async function scratch(): Promise<string> {
  return await Deno.makeTempDir({ dir: join(ROOT, "tests/testdata/serve"), prefix: "tmp-" });
}

/** Polls `check` until it returns a value, or fails after `seconds` (a hang guard, not a timing assert). */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  seconds = 60,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The real program running `serve`. */
export class ServeProcess {
  #child: Deno.ChildProcess;
  #stderr = "";
  #drained: Promise<void>;
  port = 0;
  scheme = "http";
  client?: Deno.HttpClient;

  constructor(
    args: string[],
    env: Record<string, string>,
    clearEnv: boolean,
    flags: string[],
    listen: string[],
  ) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--frozen",
        "--cached-only",
        ...flags,
        MAIN,
        "serve",
        ...listen,
        ...args,
      ],
      cwd: ROOT,
      clearEnv,
      env: { NO_COLOR: "1", DENO_DIR, ...env },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Keep reading so the child never blocks on a full pipe.
    const stderr = this.#child.stderr;
    this.#drained = (async () => {
      for await (const chunk of stderr) this.#stderr += decoder.decode(chunk);
    })();
  }

  static async start(
    args: string[],
    opts: {
      env?: Record<string, string>;
      clearEnv?: boolean;
      tls?: boolean;
      /** Where to listen; default `--host 127.0.0.1 --port 0`. Give `[]` when `args` say it. */
      listen?: string[];
    } = {},
  ): Promise<ServeProcess> {
    const p = new ServeProcess(
      args,
      opts.env ?? {},
      opts.clearEnv ?? false,
      await taskFlags("serve"),
      opts.listen ?? ["--host", "127.0.0.1", "--port", "0"],
    );
    if (opts.tls) p.scheme = "https";
    p.port = Number(
      await until("the listening log line", () => {
        const m = /listening url=\S+ port=(\d+)/.exec(p.#stderr);
        return Promise.resolve(m?.[1]);
      }),
    );
    return p;
  }

  get stderr(): string {
    return this.#stderr;
  }

  url(path: string): string {
    return `${this.scheme}://127.0.0.1:${this.port}${path}`;
  }

  async get(path: string, init: RequestInit = {}): Promise<Response> {
    return await fetch(this.url(path), { ...init, client: this.client } as RequestInit);
  }

  async text(path: string, init: RequestInit = {}): Promise<string> {
    return await (await this.get(path, init)).text();
  }

  /** The HTTP status of `path`, body discarded. */
  async code(path: string): Promise<number> {
    const res = await this.get(path);
    await res.body?.cancel();
    return res.status;
  }

  async status(): Promise<{ scans: { completed: number } }> {
    return await (await this.get("/")).json();
  }

  async waitReady(): Promise<void> {
    await until("/ready", async () => {
      const res = await this.get("/ready");
      await res.body?.cancel();
      return res.status === 200 ? true : undefined;
    });
  }

  /**
   * Sends SIGHUP (scan now) and waits until that scan has finished. Never
   * SIGUSR1: Deno would open its inspector. SIGHUP's default action ends the
   * process, so this also proves serve handles it.
   */
  async rescan(): Promise<void> {
    const before = (await this.status()).scans.completed;
    this.#child.kill("SIGHUP");
    await until(
      "the requested scan",
      async () => (await this.status()).scans.completed > before ? true : undefined,
    );
    assert.match(this.#stderr, /msg="scan started" reason=signal/);
    assert.doesNotMatch(this.#stderr, /Debugger listening/);
  }

  async stop(signal: Deno.Signal = "SIGTERM"): Promise<number> {
    try {
      this.#child.kill(signal);
    } catch {
      // Already exited.
    }
    const status = await this.#child.status;
    await this.#drained;
    return status.code;
  }
}
