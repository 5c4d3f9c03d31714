import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { createLogger } from "../src/log.ts";
import { logfmtLine, logfmtString, logfmtValue } from "../src/logfmt.ts";
import { logfmtRecord, parseLogfmt } from "./helpers/logfmt.ts";

const at = () => new Date("2026-01-02T03:04:05.000Z");

Deno.test("createLogger() writes JSON lines with fields and redacts secret-looking fields", () => {
  const lines: string[] = [];
  const log = createLogger({ format: "json", write: (l) => lines.push(l), now: at });
  log.info("target failed", {
    account_id: "123456789012",
    session_token: "IQoJb3",
    secretAccessKey: "abc",
    n: 3,
  });
  strictEqual(lines.length, 1);
  ok(lines[0].endsWith("\n"));
  deepStrictEqual(JSON.parse(lines[0]), {
    time: "2026-01-02T03:04:05.000Z",
    level: "info",
    msg: "target failed",
    account_id: "123456789012",
    session_token: "[redacted]",
    secretAccessKey: "[redacted]",
    n: 3,
  });
});

Deno.test("createLogger() writes logfmt as promslog does by default, and honours the level", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l), now: at });
  log.info("hidden");
  log.warn("restarting target", { region: "eu-west-1", reason: "token expired", attempt: 2 });
  log.error("target failed", { duration_seconds: 0.031, ok: false, code: null, gone: undefined });
  deepStrictEqual(lines, [
    'ts=2026-01-02T03:04:05.000Z level=warn msg="restarting target" region=eu-west-1 ' +
    'reason="token expired" attempt=2\n',
    'ts=2026-01-02T03:04:05.000Z level=error msg="target failed" duration_seconds=0.031 ok=false ' +
    "code=null\n",
  ]);
});

/**
 * Values as Go's slog TextHandler writes them (worked out from its
 * needsQuoting and strconv.Quote): bare unless empty or holding a space,
 * `=`, `"`, a control character or an unprintable non-ASCII character;
 * quoted with Go escapes otherwise. A backslash alone stays bare.
 */
const HOSTILE: [string, string][] = [
  ["", '""'],
  ["plain", "plain"],
  ["a b", '"a b"'],
  ['say "hi"', '"say \\"hi\\""'],
  ["a=b", '"a=b"'],
  ["C:\\dir", "C:\\dir"],
  ["C:\\my dir", '"C:\\\\my dir"'],
  ["line1\nline2", '"line1\\nline2"'],
  ["cr\r", '"cr\\r"'],
  ["tab\there", '"tab\\there"'],
  ["\x07\b\f\v", '"\\a\\b\\f\\v"'],
  ["\x1b[31mred", '"\\x1b[31mred"'],
  ["nul\x00", '"nul\\x00"'],
  ["del\x7f", "del\x7f"],
  ["del \x7f", '"del \\x7f"'],
  ["ünï €", '"ünï €"'],
  ["ünï€", "ünï€"],
  ["😀", "😀"],
  ["nb\u00a0sp", '"nb\\u00a0sp"'],
  ["ls\u2028", '"ls\\u2028"'],
  ["zero\u200bwidth", '"zero\\u200bwidth"'],
  ["private\ue000", '"private\\ue000"'],
  ["tag\u{e0041}", '"tag\\U000e0041"'],
  ["\ufffd", '"\ufffd"'],
  ["lone\ud800", '"lone\ufffd"'],
  ["ts=forged level=error", '"ts=forged level=error"'],
  ['msg="x" \n level=error msg=y', '"msg=\\"x\\" \\n level=error msg=y"'],
];

Deno.test("logfmtString() quotes and escapes exactly as slog does", () => {
  for (const [value, written] of HOSTILE) strictEqual(logfmtString(value), written, value);
  strictEqual(logfmtValue(3), "3");
  strictEqual(logfmtValue(-0.5), "-0.5");
  strictEqual(logfmtValue(Infinity), "+Inf");
  strictEqual(logfmtValue(NaN), "NaN");
  strictEqual(logfmtValue(true), "true");
});

Deno.test("logfmt lines round-trip hostile values through a strict parser, one line each", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: at });
  for (const [value] of HOSTILE) log.info(value, { value, [value === "" ? "k" : value]: value });
  strictEqual(lines.length, HOSTILE.length);
  lines.forEach((line, i) => {
    const value = HOSTILE[i][0].toWellFormed();
    ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"), line);
    const pairs = parseLogfmt(line.slice(0, -1));
    deepStrictEqual(pairs.slice(0, 4), [
      ["ts", "2026-01-02T03:04:05.000Z"],
      ["level", "info"],
      ["msg", value],
      ["value", value],
    ]);
  });
});

Deno.test("logfmt round-trips random text of every kind of character", () => {
  // A fixed pseudo-random sequence (xorshift), so a failure is reproducible.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const pools = [[0, 0x80], [0x80, 0x800], [0x2000, 0x2100], [0xd7f0, 0xe010], [0x1f600, 0x1f650]];
  for (let n = 0; n < 2000; n++) {
    let s = "";
    const length = Math.floor(next() * 12);
    for (let i = 0; i < length; i++) {
      const [lo, hi] = pools[Math.floor(next() * pools.length)];
      s += String.fromCharCode(...codeUnits(lo + Math.floor(next() * (hi - lo))));
    }
    const line = logfmtLine([["k", s]]);
    deepStrictEqual(parseLogfmt(line), [["k", s.toWellFormed()]], JSON.stringify(s));
  }
});

/** The UTF-16 code units of a code point; a surrogate alone stays alone. */
function codeUnits(cp: number): number[] {
  if (cp < 0x10000) return [cp];
  const v = cp - 0x10000;
  return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
}

Deno.test("logfmt lines redact secret-looking fields and never repeat ts, level or msg", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: at });
  log.info("assumed role", {
    session_token: "IQoJb3 secret",
    SecretAccessKey: "abc",
    Authorization: "Basic dXNlcjpwYXNz",
    msg: "forged",
    level: "error",
  });
  ok(!lines[0].includes("IQoJb3") && !lines[0].includes("abc") && !lines[0].includes("dXNl"));
  deepStrictEqual(logfmtRecord(lines[0]), {
    ts: "2026-01-02T03:04:05.000Z",
    level: "info",
    msg: "assumed role",
    session_token: "[redacted]",
    SecretAccessKey: "[redacted]",
    Authorization: "[redacted]",
    field_msg: "forged",
    field_level: "error",
  });
});

Deno.test("the strict logfmt parser refuses malformed lines", () => {
  for (
    const line of [
      "",
      "a",
      "a=",
      "a=b  c=d",
      " a=b",
      "a=b c",
      'a="b',
      'a="b\\q"',
      'a="\\x1B"',
      "a=b a=c",
      'a=b"c',
      'a="tab\there"',
      "a=nb\u00a0sp",
    ]
  ) {
    throws(() => parseLogfmt(line), SyntaxError, JSON.stringify(line));
  }
});
