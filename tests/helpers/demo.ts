import { processIo } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";

/** The demo flags: the bundled config and inventory, offline. */
export const DEMO_ARGS = [
  "--config",
  "examples/demo/config.yaml",
  "--inventory",
  "examples/demo/inventory",
];

/**
 * Runs `scan` in-process on the demo inventory and returns its exit code,
 * stdout and stderr lines.
 */
export async function runDemoScan(
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string[] }> {
  const chunks: string[] = [];
  const stderr: string[] = [];
  const io = {
    ...processIo(),
    stdout: async (c: AsyncIterable<string> | Iterable<string>) => {
      for await (const s of c) chunks.push(s);
    },
    stderr: (line: string) => stderr.push(line),
  };
  const code = await runCli(["scan", "--quiet", ...DEMO_ARGS, ...args], io);
  return { code, stdout: chunks.join(""), stderr };
}
