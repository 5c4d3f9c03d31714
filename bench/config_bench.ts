/**
 * Config parsing at the sizes a hostile or generated file can reach: the
 * time `parseConfig` takes to accept or refuse it. Prints a markdown table.
 */
import { parseConfig } from "../src/config/parse.ts";
import { ConfigError } from "../src/errors.ts";
import { plural } from "../src/plural.ts";
import { MAX_CONFIG_BYTES } from "../src/text_file.ts";

const MATRIX = 'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n';

function tags(n: number, name: (i: number) => string): string {
  return `${MATRIX}REQUIRED_TAGS:\n${
    Array.from({ length: n }, (_, i) => `  - ${name(i)}`).join("\n")
  }\n`;
}

function accounts(n: number): string {
  const entries = Array.from(
    { length: n },
    (_, i) =>
      `  - account_id: "${String(i).padStart(12, "0")}"\n    regions: [us-east-1, eu-west-1]`,
  );
  return `aws_account_matrix:\n${entries.join("\n")}\nREQUIRED_TAGS: [env]\n`;
}

/** The largest file the size cap lets through: list items up to MAX_CONFIG_BYTES. */
function capped(): string {
  const head = `${MATRIX}excluded_resource_types:\n`;
  const item = "  - x\n";
  return head + item.repeat(Math.floor((MAX_CONFIG_BYTES - head.length) / item.length));
}

const cases: [string, () => string][] = [
  ["1,000 distinct REQUIRED_TAGS (accepted)", () => tags(1000, (i) => `t${i}`)],
  ["1,000 REQUIRED_TAGS, 500 repeated (500 errors)", () => tags(1000, (i) => `t${i % 500}`)],
  ["200,000 REQUIRED_TAGS (over the bound)", () => tags(200_000, (i) => `t${i}`)],
  ["10,000 accounts x 2 regions (accepted)", () => accounts(10_000)],
  ["10 MiB of list items (the size cap)", capped],
];

console.log("## Config: parseConfig on large files\n");
console.log("| file | size MiB | seconds | outcome |");
console.log("|---|---:|---:|---|");
for (const [name, make] of cases) {
  const text = make();
  const t0 = performance.now();
  let outcome = "accepted";
  try {
    parseConfig(text, "bench.yaml");
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    outcome = `${plural(e.lines.length, "error line")}: ${e.lines[0].slice(0, 60)}`;
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `| ${name} | ${(text.length / 2 ** 20).toFixed(1)} | ${seconds.toFixed(2)} | ${outcome} |`,
  );
}
console.log();
