/** The serve end-to-end tests' reading of an exposition: one sample line by name and labels. */

/** The first `name{...}` line of `text` whose labels match `labels`. */
export function metricLine(text: string, name: string, labels: RegExp): string | undefined {
  return text.split("\n").find((l) => l.startsWith(name + "{") && labels.test(l));
}
