import type { AccountEntry, AccountOverride } from "./accounts.ts";
import type { ConfigDocument, Path } from "./document.ts";
import { parseRegions } from "./regions.ts";
import { ROLE_ARN_RE } from "./roles.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

const ACCOUNT_KEYS = ["account_id", "account_name", "regions"] as const;
const OVERRIDE_KEYS = ["role_arn", "external_id", "session_duration_seconds"] as const;
const ACCOUNT_ID_RE = /^\d{12}$/;

/**
 * Reads `aws_account_matrix`: the listed accounts with their names and
 * regions. `optional` (when `aws_organization` lists the accounts) lets it
 * be absent or empty.
 */
export function parseMatrix(v: Validator, matrix: unknown, optional = false): AccountEntry[] {
  const doc: ConfigDocument = v.doc;
  const path = ["aws_account_matrix"];
  if (optional && (matrix === undefined || matrix === null)) return [];
  if (matrix === undefined) {
    doc.fail(
      [],
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
  const seen = new Map<string, number>();
  return matrix.map((entry, i) => {
    const at: Path = [...path, i];
    if (!isRecord(entry)) {
      doc.fail(at, `must be a mapping with account_id, account_name and regions`);
    }
    doc.checkKeys(at, entry, ACCOUNT_KEYS);
    const id = parseAccountId(doc, [...at, "account_id"], entry.account_id);
    if (seen.has(id)) {
      doc.fail(
        [...at, "account_id"],
        `"${id}" is listed twice (also aws_account_matrix[${
          seen.get(id)
        }]; merge the regions into one entry)`,
      );
    }
    seen.set(id, i);
    const named = v.optString([...at, "account_name"], entry.account_name);
    if (entry.regions === undefined) {
      doc.fail(at, `regions is missing (add e.g. regions: ["us-east-1"], or regions: all)`);
    }
    const regions = parseRegions(v, [...at, "regions"], entry.regions);
    const where = `aws_account_matrix[${i}]`;
    return named === null
      ? { id, name: id, regions, where, unnamed: true as const }
      : { id, name: named, regions, where };
  });
}

/** A quoted 12-digit account id; a YAML number or wrong length fails with the fix. */
export function parseAccountId(doc: ConfigDocument, path: Path, value: unknown): string {
  if (value === undefined) doc.fail(path.slice(0, -1), "account_id is missing");
  if (typeof value === "number" || typeof value === "bigint") {
    const raw = doc.raw(path) ?? String(value);
    const digits = raw.replace(/^[+]/, "");
    if (!/^\d{1,12}$/.test(digits)) {
      return doc.fail(path, `${raw} is not a 12-digit account id (quote it: "012345678901")`);
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
      `"${value}" has ${value.length} digits; account ids have exactly 12 (e.g. "012345678901")`,
    );
  }
  if (typeof value !== "string" || !ACCOUNT_ID_RE.test(value)) {
    return doc.fail(
      path,
      `${
        JSON.stringify(value)
      } is not a 12-digit account id (write it quoted, e.g. "012345678901")`,
    );
  }
  return value;
}

/** Reads `aws_account_overrides`: account id -> role ARN, external id, session duration. */
export function parseOverrides(v: Validator, value: unknown): Map<string, AccountOverride> {
  const doc: ConfigDocument = v.doc;
  const out = new Map<string, AccountOverride>();
  const path = ["aws_account_overrides"];
  if (value === undefined || value === null) return out;
  if (!isRecord(value)) {
    doc.fail(path, `must be a mapping of account id to settings, got ${describe(value)}`);
  }
  for (const { key, raw, isNumber } of doc.mapKeys(path)) {
    const at: Path = [...path, key];
    if (isNumber || !ACCOUNT_ID_RE.test(key)) {
      doc.fail(
        at,
        isNumber
          ? `key ${raw} was read by YAML as a number, which drops leading zeros; quote it: "${
            raw.padStart(12, "0")
          }"`
          : `key ${JSON.stringify(key)} is not a 12-digit account id`,
      );
    }
    const o = value[key];
    if (!isRecord(o)) {
      doc.fail(at, `must be a mapping with role_arn, external_id or session_duration_seconds`);
    }
    doc.checkKeys(at, o, OVERRIDE_KEYS);
    const roleArn = v.optString([...at, "role_arn"], o.role_arn);
    if (roleArn !== null) {
      const m = ROLE_ARN_RE.exec(roleArn);
      if (!m) {
        doc.fail(
          [...at, "role_arn"],
          `${JSON.stringify(roleArn)} is not a role ARN (expected arn:aws:iam::${key}:role/NAME)`,
        );
      }
      if (m[2] !== key) {
        doc.fail(
          [...at, "role_arn"],
          `${JSON.stringify(roleArn)} belongs to account ${
            m[2]
          }, not ${key} (fix the account in the ARN or the key)`,
        );
      }
    }
    out.set(key, {
      roleArn,
      externalId: v.optString([...at, "external_id"], o.external_id),
      sessionDurationSeconds: v.optInt(
        [...at, "session_duration_seconds"],
        o.session_duration_seconds,
        { min: 900, max: 43200 },
      ),
    });
  }
  return out;
}
