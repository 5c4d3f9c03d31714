import { plural } from "../plural.ts";
import type { AccountEntry } from "./accounts.ts";
import type { ConfigDocument, Path } from "./document.ts";
import { cut, quote } from "./quote.ts";
import { parseRegions } from "./regions.ts";
import { describe, eachRepeat, isRecord, type Validator } from "./validator.ts";

const ACCOUNT_KEYS = ["account_id", "account_name", "regions"] as const;
export const ACCOUNT_ID_RE = /^\d{12}$/;
/** More accounts than most AWS organizations hold; a longer list belongs in discovery. */
export const MAX_ACCOUNTS = 10_000;

/**
 * Reads `aws_account_matrix`: the listed accounts with their names and
 * regions. Each entry is read on its own, so every broken entry is reported;
 * the result is undefined when any was (see `ConfigDocument.attempt`).
 * `optional` (when `aws_organization` lists the accounts) lets it be absent
 * or empty.
 */
export function parseMatrix(v: Validator, matrix: unknown, optional = false): AccountEntry[] {
  const doc: ConfigDocument = v.doc;
  const path = ["aws_account_matrix"];
  if (optional && (matrix === undefined || matrix === null)) return [];
  if (matrix === undefined) {
    doc.failMissing(
      [],
      ["aws_account_matrix"],
      "aws_account_matrix is missing (list the accounts and regions to scan, or discover " +
        "them with aws_organization)",
    );
  }
  if (!Array.isArray(matrix)) {
    doc.fail(path, `must be a list of accounts, got ${describe(matrix)}`);
  }
  if (matrix.length === 0 && !optional) {
    doc.fail(path, "is empty (list at least one account to scan)");
  }
  if (matrix.length > MAX_ACCOUNTS) {
    doc.fail(path, `has ${matrix.length} accounts; at most ${MAX_ACCOUNTS} are allowed`);
  }
  // An entry's id is checked for repeats even when the rest of the entry is broken.
  const ids = matrix.map((_, i) => `\0${i}`);
  const entries = matrix.map((entry, i) => doc.attempt(() => parseEntry(v, entry, i, ids)));
  eachRepeat(ids, (i, first) => {
    doc.report(
      [...path, i, "account_id"],
      `"${ids[i]}" is listed twice (also aws_account_matrix[${first}]; merge the regions into ` +
        `one entry)`,
    );
  });
  return entries.map((e) => doc.need(e));
}

function parseEntry(v: Validator, entry: unknown, i: number, ids: string[]): AccountEntry {
  const doc: ConfigDocument = v.doc;
  const at: Path = ["aws_account_matrix", i];
  if (!isRecord(entry)) {
    doc.fail(at, `must be a mapping with account_id, account_name and regions`);
  }
  doc.checkKeys(at, entry, ACCOUNT_KEYS);
  const id = doc.attempt(() => parseAccountId(doc, [...at, "account_id"], entry.account_id));
  if (id !== undefined) ids[i] = id;
  const named = doc.attempt(() => v.optString([...at, "account_name"], entry.account_name));
  const regions = doc.attempt(() => {
    if (entry.regions === undefined) {
      doc.failMissing(
        at,
        ["regions"],
        `regions is missing (add e.g. regions: ["us-east-1"], or regions: all)`,
      );
    }
    return parseRegions(v, [...at, "regions"], entry.regions);
  });
  const where = `aws_account_matrix[${i}]`;
  const base = { id: doc.need(id), regions: doc.need(regions), where };
  const name = doc.need(named);
  return name === null ? { ...base, name: base.id, unnamed: true as const } : { ...base, name };
}

/** A quoted 12-digit account id; a YAML number or wrong length fails with the fix. */
export function parseAccountId(doc: ConfigDocument, path: Path, value: unknown): string {
  if (value === undefined) {
    doc.failMissing(path.slice(0, -1), ["account_id"], "account_id is missing");
  }
  if (typeof value === "number" || typeof value === "bigint") {
    const raw = doc.raw(path) ?? String(value);
    const digits = raw.replace(/^[+]/, "");
    if (!/^\d{1,12}$/.test(digits)) {
      return doc.fail(
        path,
        `${cut(raw)} is not a 12-digit account id (quote it: "012345678901")`,
      );
    }
    const fix = digits.padStart(12, "0");
    return doc.fail(
      path,
      `${raw} was read by YAML as a number; account ids must be quoted strings, because numbers ` +
        `lose leading zeros: quote it: "${fix}"`,
    );
  }
  if (typeof value === "string" && /^\d+$/.test(value) && value.length !== 12) {
    return doc.fail(
      path,
      `${quote(value)} has ${plural(value.length, "digit")}; account ids have exactly 12 ` +
        `(e.g. "012345678901")`,
    );
  }
  if (typeof value !== "string" || !ACCOUNT_ID_RE.test(value)) {
    return doc.fail(
      path,
      `${quote(value)} is not a 12-digit account id (write it quoted, e.g. "012345678901")`,
    );
  }
  return value;
}
