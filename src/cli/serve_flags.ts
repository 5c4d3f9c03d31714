import { type Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../errors.ts";
import { DEFAULT_LIMITS } from "../serve/connection_guard.ts";
import { RESERVED_PATHS } from "../serve/handler.ts";
import { intArg } from "./options.ts";

/** serve's listening and web flags, as commander stores them. */
export interface ServeWebFlags {
  host: string;
  port: number;
  "web.listenAddress"?: { hostname: string; port: number };
  webConfig?: string;
  "web.config.file"?: string;
  "web.telemetryPath": string;
  "web.enableLifecycle": boolean;
  maxConnections: number;
}

/** Where and how serve listens, once aliases are resolved. */
export interface ServeWeb {
  readonly hostname: string;
  readonly port: number;
  readonly webConfig: string | undefined;
  readonly metricsPath: string;
  /** `--web.enable-lifecycle`: serve `POST /-/reload`. */
  readonly lifecycle: boolean;
}

export const DEFAULT_HOST = "0.0.0.0";
export const DEFAULT_PORT = 8080;

/**
 * Adds serve's listening flags: `--host`/`--port` and exporter-toolkit's
 * `--web.listen-address`, `--web-config` and `--web.config.file`,
 * `--web.telemetry-path`, `--web.enable-lifecycle`, `--max-connections`.
 */
export function withServeWebFlags(cmd: Command): Command {
  return cmd
    .option("--host <host>", "address to listen on", DEFAULT_HOST)
    .option(
      "-p, --port <port>",
      "port to listen on (0: any free port)",
      intArg(0, 65535),
      DEFAULT_PORT,
    )
    .option(
      "--web.listen-address <host:port>",
      "exporter-toolkit's name for --host and --port together, e.g. 0.0.0.0:8080 or [::]:8080 " +
        "(an IPv6 host in brackets; :8080 is 0.0.0.0:8080)",
      listenAddressArg,
    )
    .option(
      "--web-config <file>",
      "exporter-toolkit web config: TLS, client certificates, basic auth",
    )
    .option("--web.config.file <file>", "exporter-toolkit's name for --web-config")
    .option(
      "--web.telemetry-path <path>",
      "path of the metrics endpoint",
      telemetryPathArg,
      "/metrics",
    )
    .option(
      "--web.enable-lifecycle",
      "serve POST /-/reload, which re-reads the config as SIGHUP does (behind basic auth when " +
        "it is on)",
      false,
    )
    .option(
      "--max-connections <n>",
      "connections kept open at once; one more closes the longest-idle (keep it under half " +
        "of ulimit -n)",
      intArg(1, 65535),
      DEFAULT_LIMITS.maxConnections,
    );
}

/**
 * Resolves the aliases. Giving a flag and its exporter-toolkit alias
 * together is a `ConfigError` (`--web.listen-address` with `--host` or
 * `--port`, `--web.config.file` with `--web-config`).
 */
export function resolveServeWeb(opts: ServeWebFlags, cmd: Command): ServeWeb {
  const given = (name: string) => cmd.getOptionValueSource(name) === "cli";
  const listen = opts["web.listenAddress"];
  if (listen !== undefined && (given("host") || given("port"))) {
    throw new ConfigError(
      "pass either --web.listen-address or --host/--port, not both (they set the same thing)",
    );
  }
  const file = opts["web.config.file"];
  if (file !== undefined && opts.webConfig !== undefined) {
    throw new ConfigError(
      "pass either --web.config.file or --web-config, not both (they set the same thing)",
    );
  }
  return {
    hostname: listen?.hostname ?? opts.host,
    port: listen?.port ?? opts.port,
    webConfig: file ?? opts.webConfig,
    metricsPath: opts["web.telemetryPath"],
    lifecycle: opts["web.enableLifecycle"],
  };
}

/**
 * Parses `HOST:PORT` as exporter-toolkit takes it: `0.0.0.0:8080`,
 * `[::1]:8080`, `localhost:8080`, or `:8080` (every IPv4 interface).
 *
 * @example
 * listenAddressArg("[::]:9100"); // { hostname: "::", port: 9100 }
 */
export function listenAddressArg(value: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value);
  if (m === null) {
    const why = (value.match(/:/g)?.length ?? 0) > 1
      ? "an IPv6 host goes in brackets, e.g. [::1]:8080"
      : "expected HOST:PORT, e.g. 0.0.0.0:8080, [::]:8080 or :8080";
    throw new InvalidArgumentError(why.charAt(0).toUpperCase() + why.slice(1) + ".");
  }
  const port = Number(m[3]);
  if (port > 65535) throw new InvalidArgumentError(`Port ${port} is above 65535.`);
  const hostname = m[1] ?? (m[2] === "" ? DEFAULT_HOST : m[2]);
  return { hostname, port };
}

/** Checks a `--web.telemetry-path`: an absolute path that no other endpoint uses. */
export function telemetryPathArg(value: string): string {
  if (!/^\/[^\s?#]*$/.test(value)) {
    throw new InvalidArgumentError(
      "Expected an absolute path without query or fragment, e.g. /metrics.",
    );
  }
  if (RESERVED_PATHS.includes(value)) {
    throw new InvalidArgumentError(
      `${value} is another endpoint's path (taken: ${RESERVED_PATHS.join(" ")}).`,
    );
  }
  return value;
}
