/**
 * A small leveled logger writing one line per event to stderr, as logfmt
 * (what promslog writes: `ts=... level=info msg="..." key=value`) or as JSON
 * objects. (pino, the usual choice, needs `--allow-sys=hostname` and env
 * access at import time; this needs no permission at all.)
 */
import { logfmtLine, type LogValue } from "./logfmt.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";
/** `--log-format`; `text` on the command line is another name for `logfmt`. */
export type LogFormat = "logfmt" | "json";
export type Fields = Record<string, LogValue | undefined>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The keys every logfmt line starts with. */
const RESERVED = new Set(["ts", "level", "msg"]);

/** Field names that could carry a credential; their values are never written. */
const SECRET_FIELD = /secret|token|password|credential|authorization/i;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stderr by default so stdout carries only the output. */
  write?: (line: string) => void;
  now?: () => Date;
}

/** Creates a logger. Stdout is never used: it carries only the program's output. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = RANK[opts.level ?? "info"];
  const format = opts.format ?? "logfmt";
  const encoder = new TextEncoder();
  const write = opts.write ?? ((line: string) => Deno.stderr.writeSync(encoder.encode(line)));
  const now = opts.now ?? (() => new Date());
  const emit = (level: LogLevel, msg: string, fields: Fields = {}) => {
    if (RANK[level] < min) return;
    const clean: Record<string, LogValue> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined) clean[k] = SECRET_FIELD.test(k) ? "[redacted]" : v;
    }
    const time = now().toISOString();
    if (format === "json") {
      write(JSON.stringify({ time, level, msg, ...clean }) + "\n");
      return;
    }
    // A field named like the line's own keys would make a second ts, level or msg.
    const rest = Object.entries(clean).map(([k, v]) =>
      [RESERVED.has(k) ? `field_${k}` : k, v] as const
    );
    write(logfmtLine([["ts", time], ["level", level], ["msg", msg], ...rest]) + "\n");
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = createLogger({ level: "error", write: () => {} });
