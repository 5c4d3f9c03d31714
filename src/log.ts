/**
 * A small leveled logger writing one line per event to stderr, as text or as
 * JSON objects. (pino, the usual choice, needs `--allow-sys=hostname` and env
 * access at import time; this needs no permission at all.)
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";
export type Fields = Record<string, string | number | boolean | null | undefined>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

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
  const format = opts.format ?? "text";
  const encoder = new TextEncoder();
  const write = opts.write ?? ((line: string) => Deno.stderr.writeSync(encoder.encode(line)));
  const now = opts.now ?? (() => new Date());
  const emit = (level: LogLevel, msg: string, fields: Fields = {}) => {
    if (RANK[level] < min) return;
    const clean: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined) clean[k] = SECRET_FIELD.test(k) ? "[redacted]" : v;
    }
    const time = now().toISOString();
    if (format === "json") {
      write(JSON.stringify({ time, level, msg, ...clean }) + "\n");
      return;
    }
    const rest = Object.entries(clean).map(([k, v]) => ` ${k}=${quote(v)}`).join("");
    write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${rest}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

function quote(v: string | number | boolean | null): string {
  const s = String(v);
  return /^[\w.:/@+-]+$/.test(s) ? s : JSON.stringify(s);
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = createLogger({ level: "error", write: () => {} });
