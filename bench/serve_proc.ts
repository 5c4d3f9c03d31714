/**
 * `main.ts serve` as shipped (the `serve` task's permission flags) in a
 * subprocess, followed through its JSON log lines on stderr, so a benchmark
 * can trigger scans with SIGHUP and wait for "scan finished" without polling
 * the server it measures.
 *
 * The serve task may read only `.` (and a few fixed paths), so the process
 * runs in the directory that holds its config file, with deno.json named by
 * `--config` for the imports.
 *
 * @module
 */
import { lines } from "./fake_proc.ts";
import { procStatus, RUN_ENV, taskFlags } from "./scan_proc.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** A JSON log line of the exporter. */
export type LogEvent = { msg: string; level: string } & Record<string, unknown>;

/** A running `serve`. */
export class ServeProcess {
  #child: Deno.ChildProcess;
  #waiters: { msg: string; resolve: (e: LogEvent) => void }[] = [];
  #stderr: Promise<void>;
  /** Every log line so far. */
  readonly events: LogEvent[] = [];
  url = "";
  /** The startup scan, finished (or failed). */
  firstScan!: Promise<LogEvent>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#stderr = (async () => {
      for await (const line of lines(child.stderr)) {
        let event: LogEvent;
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        this.events.push(event);
        if (event.level === "error") console.error(`serve: ${line}`);
        const ready = this.#waiters.filter((w) => w.msg === event.msg);
        this.#waiters = this.#waiters.filter((w) => w.msg !== event.msg);
        for (const w of ready) w.resolve(event);
      }
    })();
  }

  /** Starts serve with `configFile` (in `dir`) on a free loopback port, once it listens. */
  static async start(dir: string, configFile: string, args: string[] = []): Promise<ServeProcess> {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...await taskFlags("serve"),
        `--config=${ROOT}deno.json`,
        `${ROOT}main.ts`,
        "serve",
        "--config",
        configFile,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--log-format",
        "json",
        ...args,
      ],
      cwd: dir,
      env: RUN_ENV,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const serve = new ServeProcess(child);
    serve.firstScan = serve.scanEnd();
    const listening = await serve.next("listening");
    serve.url = `http://127.0.0.1:${listening.port}`;
    return serve;
  }

  /** The next log line with message `msg`. Call before the action that causes it. */
  next(msg: string): Promise<LogEvent> {
    return new Promise((resolve) => this.#waiters.push({ msg, resolve }));
  }

  /** The end of the next scan: its snapshot served, or its failure. */
  scanEnd(): Promise<LogEvent> {
    return Promise.race([
      this.next("scan finished; serving the new snapshot"),
      this.next("scan failed; still serving the previous snapshot"),
    ]);
  }

  /** Asks for a scan now, as an operator would, and waits until it ends. */
  async rescan(): Promise<LogEvent> {
    const done = this.scanEnd();
    this.#child.kill("SIGHUP");
    return await done;
  }

  /** Resident and peak memory of the process, in MiB. */
  async memory(): Promise<{ rssMiB: number; peakMiB: number }> {
    const s = await procStatus(this.#child.pid);
    return { rssMiB: (s.VmRSS ?? NaN) / 1024, peakMiB: (s.VmHWM ?? NaN) / 1024 };
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<number> {
    this.#child.kill("SIGTERM");
    const { code } = await this.#child.status;
    await this.#stderr;
    return code;
  }
}
