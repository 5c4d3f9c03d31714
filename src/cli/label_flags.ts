import { type Command, InvalidArgumentError } from "commander";
import {
  labelNameProblem,
  MAX_EXPORTER_LABELS,
  MAX_LABEL_VALUE,
} from "../config/exporter_labels.ts";
import type { Config } from "../config/model.ts";
import type { ConstLabels } from "../metrics/const_labels.ts";
import type { Shard } from "../scan/shard.ts";
import { collect } from "./options.ts";

/** The flags that add constant labels: `--label` (repeatable) and `--shard`. */
export interface LabelFlags {
  label?: string[];
  shard?: Shard;
}

/** Adds the repeatable `--label NAME=VALUE` to a command that renders metrics (scan, serve). */
export function withLabelOption(cmd: Command): Command {
  return cmd.option(
    "--label <name=value>",
    "constant label on every series, e.g. org=acme (repeatable; overrides exporter_labels)",
    labelArg,
  );
}

/**
 * Parses one `--label NAME=VALUE` for commander: the value may be empty and
 * may contain `=`; the name must be a label name the exporter does not use.
 */
function labelArg(spec: string, previous: string[] = []): string[] {
  parseLabelFlag(spec);
  if (previous.length >= MAX_EXPORTER_LABELS) {
    throw new InvalidArgumentError(
      `more than ${MAX_EXPORTER_LABELS} --label flags (each is on every series)`,
    );
  }
  return collect(spec, previous);
}

/**
 * Splits `NAME=VALUE`, or throws an `InvalidArgumentError` saying why it is
 * not one (commander names the flag and exits 2).
 *
 * @example
 * parseLabelFlag("org=acme"); // ["org", "acme"]
 */
export function parseLabelFlag(spec: string): [string, string] {
  const eq = spec.indexOf("=");
  if (eq < 0) throw new InvalidArgumentError("It is not NAME=VALUE (e.g. org=acme)");
  const name = spec.slice(0, eq);
  const problem = labelNameProblem(name);
  if (problem !== null) throw new InvalidArgumentError(`${JSON.stringify(name)} ${problem}`);
  const value = spec.slice(eq + 1);
  if (value.length > MAX_LABEL_VALUE) {
    throw new InvalidArgumentError(
      `the value of ${
        JSON.stringify(name)
      } is ${value.length} characters; at most ${MAX_LABEL_VALUE}`,
    );
  }
  return [name, value];
}

/**
 * The constant labels of a run: the config's `exporter_labels`, then the
 * `--label` flags (a flag replaces a config label of the same name), and with
 * `--shard` the `shard` label, `INDEX/COUNT` as given (`shard="1/3"`), so
 * the files or targets of several shards never hold the same series.
 * Empty without any of them: the original exposition.
 *
 * @example
 * exporterLabels(config, { label: ["org=acme"], shard: { index: 1, count: 3 } });
 * // {org: "acme", shard: "1/3"} (plus config.exporterLabels)
 */
export function exporterLabels(
  config: Pick<Config, "exporterLabels">,
  flags: LabelFlags,
): ConstLabels {
  const labels: Record<string, string> = { ...config.exporterLabels };
  for (const spec of flags.label ?? []) {
    const [name, value] = parseLabelFlag(spec);
    labels[name] = value;
  }
  if (flags.shard) labels.shard = `${flags.shard.index}/${flags.shard.count}`;
  return Object.freeze(labels);
}
