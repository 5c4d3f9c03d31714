/**
 * Lints an exposition with the real `promtool check metrics`. Returns the
 * problem lines, minus the one lint the seed's metric names cause on purpose
 * (gauges named `..._total`; see docs/metrics.md, "Why some gauges end in
 * `_total`"). promtool must be installed (.ci/run installs Debian's
 * prometheus package).
 */
export async function promtoolProblems(exposition: string): Promise<string[]> {
  const child = new Deno.Command("promtool", {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(exposition));
  await writer.close();
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const problems = text.split("\n").filter((l) => l.trim() !== "");
  const expected = /^\S+_total non-counter metrics should not have "_total" suffix$/;
  const rest = problems.filter((l) => !expected.test(l.trim()));
  if (!out.success && rest.length === 0 && problems.length === 0) {
    return [`promtool exited ${out.code} with no output`];
  }
  return rest;
}
