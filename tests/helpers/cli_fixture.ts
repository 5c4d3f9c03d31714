/** The demo flags and the scan task's permissions the CLI tests run with. */
import { taskFlags } from "./run_cli.ts";

export { DEMO_ARGS as DEMO } from "./demo.ts";
export const scanFlags = await taskFlags("scan");
