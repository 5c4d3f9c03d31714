import type { AccountOverride } from "./accounts.ts";
import type { ConfigDocument, Path } from "./document.ts";
import { ACCOUNT_ID_RE, MAX_ACCOUNTS } from "./matrix.ts";
import { cut, quote } from "./quote.ts";
import { ROLE_ARN_RE } from "./roles.ts";
import { describe, isRecord, type Validator } from "./validator.ts";

const OVERRIDE_KEYS = ["role_arn", "external_id", "session_duration_seconds"] as const;

/**
 * Reads `aws_account_overrides`: account id -> role ARN, external id, session
 * duration. Each account's override is read on its own, so every broken one
 * is reported.
 */
export function parseOverrides(v: Validator, value: unknown): Map<string, AccountOverride> {
  const doc: ConfigDocument = v.doc;
  const out = new Map<string, AccountOverride>();
  const path = ["aws_account_overrides"];
  if (value === undefined || value === null) return out;
  if (!isRecord(value)) {
    doc.fail(path, `must be a mapping of account id to settings, got ${describe(value)}`);
  }
  const keys = doc.mapKeys(path);
  if (keys.length > MAX_ACCOUNTS) {
    doc.fail(path, `has ${keys.length} accounts; at most ${MAX_ACCOUNTS} are allowed`);
  }
  for (const { key, raw, isNumber } of keys) {
    const o = doc.attempt(() => parseOverride(v, [...path, key], raw, isNumber, value[key]));
    if (o !== undefined) out.set(key, o);
  }
  return out;
}

function parseOverride(
  v: Validator,
  at: Path,
  raw: string,
  isNumber: boolean,
  o: unknown,
): AccountOverride {
  const doc: ConfigDocument = v.doc;
  const key = String(at.at(-1));
  const keyOk = !isNumber && ACCOUNT_ID_RE.test(key);
  if (!keyOk) {
    doc.report(
      at,
      isNumber
        ? `key ${cut(raw)} was read by YAML as a number, which drops leading zeros; quote it: "${
          cut(raw.padStart(12, "0"))
        }"`
        : `key ${quote(key)} is not a 12-digit account id`,
    );
  }
  if (!isRecord(o)) {
    doc.fail(at, `must be a mapping with role_arn, external_id or session_duration_seconds`);
  }
  doc.checkKeys(at, o, OVERRIDE_KEYS);
  const roleArn = doc.attempt(() => {
    const arn = v.optString([...at, "role_arn"], o.role_arn);
    if (arn === null) return null;
    const m = ROLE_ARN_RE.exec(arn);
    if (!m) {
      doc.fail(
        [...at, "role_arn"],
        `${quote(arn)} is not a role ARN (expected arn:aws:iam::${
          keyOk ? key : "ACCOUNT_ID"
        }:role/NAME)`,
      );
    }
    if (keyOk && m[2] !== key) {
      doc.fail(
        [...at, "role_arn"],
        `${quote(arn)} belongs to account ${
          m[2]
        }, not ${key} (fix the account in the ARN or the key)`,
      );
    }
    return arn;
  });
  const externalId = doc.attempt(() => v.optString([...at, "external_id"], o.external_id));
  const duration = doc.attempt(() =>
    v.optSeconds([...at, "session_duration_seconds"], o.session_duration_seconds, {
      min: 900,
      max: 43200,
    })
  );
  return {
    roleArn: doc.need(roleArn),
    externalId: doc.need(externalId),
    sessionDurationSeconds: doc.need(duration),
  };
}
