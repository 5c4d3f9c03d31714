import { ConfigError, describeFsError } from "../errors.ts";
import type { Config } from "./model.ts";
import { parseConfig } from "./parse.ts";

/**
 * Reads and validates a config file. A missing, unreadable or non-UTF-8 file
 * is a `ConfigError` with one line that says how to fix it.
 */
export async function loadConfig(path: string): Promise<Config> {
  return parseConfig(await readTextFile(path, "config file", "pass --config FILE"), path);
}

/**
 * Reads a UTF-8 text file the user named, turning every failure into a
 * one-line `ConfigError`. `what` names the file's role in the message.
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
