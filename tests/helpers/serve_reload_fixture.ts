/** The config reload tests' shared logger. */
import { createLogger } from "../../src/log.ts";

/** A logger that drops every line. */
export const silent = createLogger({ level: "error", write: () => {} });
