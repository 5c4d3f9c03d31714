import { processIo } from "./src/cli/io.ts";
import { runCli } from "./src/cli/program.ts";

/**
 * The entry point: runs the CLI with `args` and returns the exit code.
 * See `aws-tag-exporter --help`.
 */
export function main(args: string[]): Promise<number> {
  return runCli(args, processIo());
}

if (import.meta.main) Deno.exit(await main(Deno.args));
