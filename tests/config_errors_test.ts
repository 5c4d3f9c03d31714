/**
 * The config pipeline reports every error, in file order, one line each,
 * capped; bounds its lists; and never echoes a long value whole.
 */
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { ErrorList, MAX_SHOWN_ERRORS } from "../src/config/error_list.ts";
import { parseConfig } from "../src/config/parse.ts";
import { cut, quote } from "../src/config/quote.ts";
import { tooManyItems } from "../src/config/yaml_items.ts";
import { ConfigError } from "../src/errors.ts";

const MATRIX = 'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east-1]\n';

/** The error lines of parsing `text` (which must fail). */
function errorLines(text: string): readonly string[] {
  let lines: readonly string[] = [];
  throws(() => parseConfig(text, "c.yaml"), (e: unknown) => {
    ok(e instanceof ConfigError, String(e));
    lines = e.lines;
    return true;
  });
  return lines;
}

Deno.test("parseConfig() shows the first 20 errors in file order and counts the rest", () => {
  // 25 distinct over-long tag keys on lines 5..29, then a bad matrix entry (parsed first) on line 31.
  const tags = Array.from({ length: 25 }, (_, i) => `  - ${String(i).padEnd(130, "k")}`);
  const lines = errorLines(
    `REQUIRED_TAGS:\n  - a\n  - b\n  - c\n${tags.join("\n")}\naws_account_matrix:\n` +
      '  - account_id: "1"\n    regions: [us-east-1]\n',
  );
  strictEqual(MAX_SHOWN_ERRORS, 20);
  strictEqual(lines.length, 21);
  lines.slice(0, 20).forEach((line, i) => {
    strictEqual(
      line,
      `c.yaml:${i + 5}: REQUIRED_TAGS[${i + 3}]: is 130 characters; AWS tag keys have at most 128`,
    );
  });
  // 5 more long keys and the short account id are not shown.
  strictEqual(lines[20], "c.yaml: and 6 more errors (fix these first)");
});

Deno.test("ErrorList keeps the first errors by line, whatever order they are added in", () => {
  const list = new ErrorList("f");
  list.add(9, "f:9: nine");
  list.add(null, "f: whole file");
  for (let i = 0; i < 30; i++) list.add(100 + i, `f:${100 + i}: late`);
  list.add(3, "f:3: three");
  list.add(3, "f:3: three again");
  throws(() => list.throwIfAny(), (e: ConfigError) => {
    deepStrictEqual(e.lines.slice(0, 4), [
      "f: whole file",
      "f:3: three",
      "f:3: three again",
      "f:9: nine",
    ]);
    strictEqual(e.lines.at(-2), "f:115: late");
    strictEqual(e.lines.at(-1), "f: and 14 more errors (fix these first)");
    strictEqual(e.message, e.lines.join("\n"));
    return true;
  });
  new ErrorList("empty").throwIfAny(); // nothing added: nothing thrown
});

Deno.test("parseConfig() does not report a consequence of an error already reported", () => {
  // The override's account is listed, but in a broken matrix entry: no "not in aws_account_matrix".
  deepStrictEqual(
    errorLines(
      'aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [us-east]\n' +
        'aws_account_overrides:\n  "123456789012":\n    external_id: x\nREQUIRED_TAGS: [env]\n',
    ),
    ['c.yaml:3: aws_account_matrix[0].regions[0]: "us-east" is not an AWS region name (e.g. "eu-west-1")'],
  );
  // A list with a non-string item is not also "empty" or checked for repeats.
  deepStrictEqual(errorLines(`${MATRIX}REQUIRED_TAGS: [1, 1]\n`), [
    "c.yaml:4: REQUIRED_TAGS[0]: must be a string, got number 1 (quote it)",
    "c.yaml:4: REQUIRED_TAGS[1]: must be a string, got number 1 (quote it)",
  ]);
});

Deno.test("parseConfig() bounds its lists before checking their items", () => {
  const tags = Array.from({ length: 1001 }, (_, i) => `t${i % 10}`).join(", ");
  deepStrictEqual(errorLines(`${MATRIX}REQUIRED_TAGS: [${tags}]\n`), [
    "c.yaml:4: REQUIRED_TAGS: has 1001 entries; at most 1000 are allowed",
  ]);
  const regions = Array.from({ length: 101 }, () => "us-east-1").join(", ");
  deepStrictEqual(
    errorLines(
      `aws_account_matrix:\n  - account_id: "123456789012"\n    regions: [${regions}]\n` +
        "REQUIRED_TAGS: [env]\n",
    ),
    ["c.yaml:3: aws_account_matrix[0].regions: has 101 entries; at most 100 are allowed"],
  );
  // 1000 distinct tags are fine.
  const many = Array.from({ length: 1000 }, (_, i) => `t${i}`).join(", ");
  strictEqual(
    parseConfig(`${MATRIX}REQUIRED_TAGS: [${many}]\n`, "c.yaml").requiredTags.length,
    1000,
  );
});

Deno.test("parseConfig() finds every repeat in a long list, naming each", () => {
  const tags = Array.from({ length: 1000 }, (_, i) => `t${i % 500}`).join(", ");
  const lines = errorLines(`${MATRIX}REQUIRED_TAGS: [${tags}]\n`);
  strictEqual(lines[0], 'c.yaml:4: REQUIRED_TAGS[500]: "t0" is listed twice');
  strictEqual(lines[19], 'c.yaml:4: REQUIRED_TAGS[519]: "t19" is listed twice');
  strictEqual(lines[20], "c.yaml: and 480 more errors (fix these first)");
});

Deno.test("cut() and quote() keep echoed values to 80 characters", () => {
  strictEqual(cut("x".repeat(80)), "x".repeat(80));
  strictEqual(cut("x".repeat(81)), "x".repeat(80) + "…");
  // Never half a surrogate pair: the emoji at 80-81 is dropped whole.
  strictEqual(cut("x".repeat(79) + "🏷" + "y"), "x".repeat(79) + "…");
  strictEqual(quote("a\nb"), '"a\\nb"');
  strictEqual(quote(5), "5");
  const huge = "v".repeat(5_000_000);
  const [line] = errorLines(`${MATRIX}REQUIRED_TAGS: [env]\nendpoint_url: "${huge}"\n`);
  ok(line.length < 200, `${line.length} characters`);
  strictEqual(
    line,
    `c.yaml:5: endpoint_url: "${
      "v".repeat(80)
    }…" is not an http(s) URL (e.g. "http://localhost:4566")`,
  );
});

Deno.test("parseConfig() refuses a file of more than 250,000 YAML items before parsing it", () => {
  // Each "  - x" entry is two items (the entry and its value); the rest of the file adds 16.
  const entries = "  - x\n".repeat(125_000);
  deepStrictEqual(
    errorLines(`${MATRIX}REQUIRED_TAGS: [env]\nexcluded_resource_types:\n${entries}`),
    [
      "c.yaml: holds more than 250000 YAML items (keys, values, list entries); a config needs " +
      'far fewer (see docs/configuration.md, "Limits")',
    ],
  );
});

Deno.test("tooManyItems() counts keys, values, entries and collections, not spaces or comments", () => {
  // a, :, [, 1, 2, then list, :, - and "c": 9 items.
  const text = 'a: [1, 2]   # five\nlist:\n  - "c"\n';
  strictEqual(tooManyItems(text, 8), true);
  strictEqual(tooManyItems(text, 9), false);
});

Deno.test("an error about a key whose value is a mapping names the key's line", () => {
  // Worked out by hand: Environment: is on line 6, "999999999999": on line 9, retry_mode on 11.
  deepStrictEqual(
    errorLines(
      `${MATRIX}REQUIRED_TAGS: [environment]\ntag_rules:\n  Environment:\n` +
        '    allowed_values: [prod]\naws_account_overrides:\n  "999999999999":\n' +
        "    external_id: x\nretry_mode: fast\n",
    ),
    [
      'c.yaml:6: tag_rules.Environment: "Environment" is not a required tag (did you mean ' +
      '"environment"? rules name tags exactly)',
      'c.yaml:9: aws_account_overrides["999999999999"]: account 999999999999 is not in ' +
      "aws_account_matrix (add it there, or remove the override)",
      'c.yaml:11: retry_mode: "fast" is not a retry mode (use "standard" or "adaptive")',
    ],
  );
});

Deno.test("a key given twice is listed with the file's other errors", () => {
  // The second REQUIRED_TAGS (line 5) is dropped; the alias to its anchor cannot be read.
  deepStrictEqual(
    errorLines(
      `${MATRIX}REQUIRED_TAGS: [env]\nREQUIRED_TAGS: &t [owner]\nexcluded_resource_types: *t\n`,
    ),
    [
      "c.yaml: cannot read the YAML: Unresolved alias (the anchor must be set before the " +
      "alias): t (fix the anchors and aliases)",
      'c.yaml:5: key "REQUIRED_TAGS" is given twice in one mapping (also line 4; keep one)',
    ],
  );
  // The first value is the one read: a mistake in it is shown, the later value is not checked.
  deepStrictEqual(errorLines(`${MATRIX}REQUIRED_TAGS: [env, env]\nREQUIRED_TAGS: [1]\n`), [
    'c.yaml:4: REQUIRED_TAGS[1]: "env" is listed twice',
    'c.yaml:5: key "REQUIRED_TAGS" is given twice in one mapping (also line 4; keep one)',
  ]);
});

Deno.test("tag rules are checked while REQUIRED_TAGS is broken; only checks against it wait", () => {
  deepStrictEqual(
    errorLines(
      `${MATRIX}REQUIRED_TAGS: [env, env]\ntag_rules:\n  team:\n    allowed_values: []\n` +
        "prohibited_tags: [env, x, x]\n",
    ),
    [
      'c.yaml:4: REQUIRED_TAGS[1]: "env" is listed twice',
      "c.yaml:7: tag_rules.team.allowed_values: is empty (list at least one value, or remove the key)",
      'c.yaml:8: prohibited_tags[2]: "x" is listed twice',
    ],
  );
});
