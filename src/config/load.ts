import { MAX_CONFIG_BYTES, readTextFile } from "../text_file.ts";
import type { Config } from "./model.ts";
import { parseConfig } from "./parse.ts";

/**
 * Reads and validates a config file. A missing, unreadable or non-UTF-8 file
 * is a `ConfigError` with one line that says how to fix it.
 */
export async function loadConfig(path: string): Promise<Config> {
  return parseConfig(await readConfigText(path), path);
}

/** The text of a config file, with `loadConfig`'s errors and size limit. */
export function readConfigText(path: string): Promise<string> {
  return readTextFile(path, "config file", "pass --config FILE", MAX_CONFIG_BYTES);
}
