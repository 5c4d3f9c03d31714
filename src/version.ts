import denoJson from "../deno.json" with { type: "json" };

/**
 * The program version. It is read from deno.json through a static import, so
 * `deno compile` embeds it in the binary; the release workflow writes the tag
 * into deno.json before compiling.
 */
export const VERSION: string = denoJson.version;
