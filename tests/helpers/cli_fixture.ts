/** The demo flags and the scan task's permissions the CLI tests run with. */
import { taskFlags } from "./run_cli.ts";

export const DEMO = [
  "--config",
  "examples/demo/config.yaml",
  "--inventory",
  "examples/demo/inventory",
];
export const scanFlags = await taskFlags("scan");
