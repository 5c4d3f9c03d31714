import type { Config } from "../config/model.ts";
import { type AwsSourceOptions, createAwsSource } from "../aws/aws_source.ts";
import { createLogger, type Logger } from "../log.ts";
import { writeStdout } from "../output/atomic.ts";
import type { Progress } from "../scan/runner.ts";
import type { ResourceSource } from "../sources/source.ts";
import type { CommonOptions } from "./options.ts";
import { progressDisplay } from "./progress.ts";
import { type StatusLine, stderrStatusLine } from "./status_line.ts";

/**
 * What subcommands need from the outside world. `main` passes the real one;
 * tests can pass their own to capture output.
 */
export interface Io {
  /** Writes output text to stdout. */
  stdout(chunks: AsyncIterable<string> | Iterable<string>): Promise<void>;
  /** Writes help and version text to stdout, synchronously. */
  stdoutText(text: string): void;
  /** Writes one human line to stderr. */
  stderr(line: string): void;
  logger(opts: CommonOptions): Logger;
  /** A progress callback, or undefined when stderr is not a terminal or --quiet. */
  progress(opts: CommonOptions, total: number): ((p: Readonly<Progress>) => void) | undefined;
  /** The live AWS source; `keepClients` for a source that scans again (serve). */
  awsSource(config: Config, log: Logger, opts?: AwsSourceOptions): Promise<ResourceSource>;
  env(name: string): string | undefined;
}

/**
 * The process's real stdout, stderr, environment and AWS. Every stderr
 * line (log lines and human lines alike) goes through one `StatusLine`, so
 * on a terminal each is written above the progress line, never into it.
 */
export function processIo(stderr: StatusLine = stderrStatusLine()): Io {
  const encoder = new TextEncoder();
  return {
    stdout: writeStdout,
    stdoutText: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    stderr: (line) => stderr.print(line + "\n"),
    logger: (opts) =>
      createLogger({
        level: opts.quiet && opts.logLevel === "info" ? "warn" : opts.logLevel,
        format: opts.logFormat,
        write: (line) => stderr.print(line),
      }),
    progress: (opts, total) =>
      opts.quiet || !Deno.stderr.isTerminal() ? undefined : progressDisplay(total, stderr),
    awsSource: (config, log, opts) => Promise.resolve(createAwsSource(config, log, opts)),
    env: (name) => Deno.env.get(name),
  };
}
