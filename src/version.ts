import denoJson from "../deno.json" with { type: "json" };

/**
 * The program version. It is read from deno.json through a static import, so
 * `deno compile` embeds it in the binary; the release workflow writes the tag
 * into deno.json before compiling.
 */
export const VERSION: string = denoJson.version;

/**
 * The `--version` line: the program and its version first (scripts take the
 * second word), then the runtime it runs on, which in a compiled binary is
 * the embedded one. No permission is needed to read any of it.
 *
 * @example
 * versionLine(); // "aws-tag-exporter 0.1.0 (deno 2.9.6, v8 15.0.245.2-rusty, x86_64-unknown-linux-gnu)"
 */
export function versionLine(): string {
  return `aws-tag-exporter ${VERSION} ` +
    `(deno ${Deno.version.deno}, v8 ${Deno.version.v8}, ${Deno.build.target})`;
}
