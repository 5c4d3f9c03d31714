import { ConfigError, describeFsError } from "./errors.ts";

/**
 * Reads a UTF-8 text file the user named (config, inventory, web config,
 * snapshot), turning every failure into a one-line `ConfigError`. `what`
 * names the file's role in the message and `hint` says how to fix the path.
 *
 * @example
 * const text = await readTextFile("config.yaml", "config file", "pass --config FILE");
 */
export async function readTextFile(path: string, what: string, hint: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    // A permission error carries its own advice; the hint is about the path.
    const advice = e instanceof Deno.errors.NotCapable ? "" : ` (${hint})`;
    throw new ConfigError(`${path}: cannot read the ${what}: ${describeFsError(e)}${advice}`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ConfigError(`${path}: the ${what} is not UTF-8 text (save it as UTF-8)`);
  }
}
