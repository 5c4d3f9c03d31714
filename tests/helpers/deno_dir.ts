/**
 * The Deno cache this test run uses (`deno info --json`). Subprocesses that
 * run main.ts are given it as DENO_DIR: many tests give them an empty HOME,
 * and Deno's default cache lives under HOME, so without it a child would
 * start from an empty cache (and, run `--cached-only`, fail).
 *
 * @module
 */
const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();

export const DENO_DIR: string = JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
