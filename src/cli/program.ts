import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../errors.ts";
import { createLogger } from "../log.ts";
import { ExitCode } from "../exit_codes.ts";
import { versionLine } from "../version.ts";
import { EXIT_CODES_HELP } from "./exit_codes_help.ts";
import type { Io } from "./io.ts";
import { withLabelOption } from "./label_flags.ts";
import { collect, withCommonOptions, withSourceOptions } from "./options.ts";
import { scanCommand, type ScanOptions } from "./scan_command.ts";
import { registerServe } from "./serve_command.ts";
import { registerReport } from "./report_command.ts";
import { registerTargets } from "./targets_command.ts";
import { registerValidate } from "./validate_command.ts";

const SUBCOMMANDS = ["scan", "report", "serve", "validate", "targets", "help"];

/**
 * Builds the command-line parser. Each subcommand's action stores its exit
 * code in `exit.code`; commander generates every --help text.
 */
export function buildProgram(io: Io, exit: { code: number }, fatal = textFatal(io)): Command {
  const program = new Command("aws-tag-exporter")
    .description(
      "Measure AWS resource tag compliance across accounts and regions; export Prometheus metrics.",
    )
    .version(
      versionLine(),
      "-V, --version",
      "print the version, the Deno and V8 versions and the build target",
    )
    .addHelpText("after", EXIT_CODES_HELP)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdoutText(s),
      writeErr: (s) => io.stderr(s.trimEnd()),
      // Commander puts its "(Did you mean ...?)" on a second line: keep one.
      outputError: (s) =>
        fatal(`${s.trim().replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (see --help)`),
    });

  withLabelOption(withSourceOptions(withCommonOptions(
    program.command("scan", { isDefault: true })
      .description("scan once and write the metrics (the default command)"),
  )))
    .option("-o, --output <file>", "write to this file atomically instead of stdout")
    .addOption(
      new Option("-f, --format <format>", "output format").choices([
        "prometheus",
        "openmetrics",
        "json",
      ])
        .default("prometheus"),
    )
    .option("--check-config", "validate the config and exit", false)
    .option(
      "--push <url>",
      "push the metrics (Prometheus text) to this Pushgateway base URL, replacing the group (instead of stdout; --output still writes its file; not with --format json)",
    )
    .option("--push-job <name>", "Pushgateway job name", "aws_tag_compliance")
    .option(
      "--push-label <name=value>",
      "Pushgateway grouping label (repeatable; with --shard, shard=INDEX/COUNT is added unless given)",
      collect,
    )
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (opts: ScanOptions) => {
      exit.code = await scanCommand(opts, io);
    });

  registerValidate(program, io, exit);
  registerReport(program, io, exit);
  registerServe(program, io, exit);
  registerTargets(program, io, exit);
  return program;
}

/**
 * Runs the CLI and returns the exit code. For compatibility, no subcommand
 * means `scan`, and `--web` means `serve`.
 */
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  const exit = { code: ExitCode.Ok as number };
  const argv = [...args];
  const fatal = wantsJson(argv) ? jsonFatal(io) : textFatal(io);
  if (!SUBCOMMANDS.includes(argv[0]) && argv.includes("--web")) {
    argv.splice(argv.indexOf("--web"), 1);
    argv.unshift("serve");
  }
  if (argv.length > 0 && !argv[0].startsWith("-") && !SUBCOMMANDS.includes(argv[0])) {
    fatal(`unknown command '${argv[0]}' (commands: ${SUBCOMMANDS.join(", ")}; see --help)`);
    return ExitCode.Usage;
  }
  try {
    await buildProgram(io, exit, fatal).parseAsync(argv, { from: "user" });
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (e instanceof ConfigError) {
      for (const line of e.lines) fatal(line);
      return ExitCode.Usage;
    }
    fatal(e instanceof Error ? e.message : String(e));
    return ExitCode.Failure;
  }
}

/** Writes the one line that ends a failed run. */
type Fatal = (message: string) => void;

function textFatal(io: Io): Fatal {
  return (message) => io.stderr(`error: ${message}`);
}

/** With --log-format json, even the last line is a JSON log object. */
function jsonFatal(io: Io): Fatal {
  const log = createLogger({ format: "json", write: (line) => io.stderr(line.trimEnd()) });
  return (message) => log.error(message);
}

function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) =>
    a === "--log-format=json" || (a === "--log-format" && argv[i + 1] === "json")
  );
}
