import { escapeLabelValue } from "./labels.ts";

/**
 * Constant labels added to every series of an exposition: `exporter_labels:`
 * and `--label` from the user, and `shard` with `--shard`. Names are checked
 * before they get here (`labelNameProblem`).
 */
export type ConstLabels = Readonly<Record<string, string>>;

/** No constant labels: the exposition of the original design. */
export const NO_CONST_LABELS: ConstLabels = Object.freeze({});

/**
 * The labels in name order, so the same set renders the same bytes whatever
 * order the config and flags gave them in.
 */
export function sortedConstLabels(labels: ConstLabels | undefined): ConstLabels {
  if (labels === undefined) return NO_CONST_LABELS;
  const names = Object.keys(labels);
  if (names.length === 0) return NO_CONST_LABELS;
  return Object.freeze(Object.fromEntries(names.sort().map((n) => [n, labels[n]])));
}

/**
 * `a="x",b="y"`: the constant labels as series label text, escaped, in name
 * order; "" for none. Computed once per exposition and appended to every
 * series after its own labels, where prom-client's `setDefaultLabels` puts
 * them, so the streamed and the prom-client families agree byte for byte.
 *
 * @example
 * constLabelText({ team: "a", org: 'x"y' }); // 'org="x\\"y",team="a"'
 */
export function constLabelText(labels: ConstLabels | undefined): string {
  return Object.entries(sortedConstLabels(labels))
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
    .join(",");
}
