/**
 * The "Exit codes" epilogue of `--help`, shared by the program and its
 * subcommands so every help text lists the same codes.
 */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  runtime failure (output not written, push failed, unexpected error)
  2  usage, config or input error (nothing written)
  3  scan finished but some targets failed (metrics for the rest written),
     or AWS Organizations discovery failed and the matrix accounts were scanned
  4  report: a compliance threshold or the baseline gate was broken
  5  every target failed (nothing scanned; up 0 written for each)

Compatibility with the original design: no command means scan, and --web
means serve (e.g. "aws-tag-exporter --web --port 9090").`;
