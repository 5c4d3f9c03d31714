/**
 * Who is calling: derived from the SigV4 `Authorization` header only.
 *
 * The signature itself is not verified (the fake is not a security boundary);
 * only the access key id and the credential scope matter. Assumed-role access
 * key ids encode the account (`ASIA` + 12 digits + 4 random chars = 20 chars,
 * the real AKID length), so any key id not issued by this fake is treated as
 * the base identity.
 *
 * @module
 */

/** What the fake learned from a request's `Authorization` header. */
export interface CallerScope {
  accessKeyId: string;
  /** Region of the SigV4 credential scope. */
  region: string;
  /** Service of the SigV4 credential scope (e.g. "sts", "tagging"). */
  service: string;
}

/** A resolved caller. */
export interface Caller {
  account: string;
  /** ARN GetCallerIdentity reports. */
  arn: string;
  /** UserId GetCallerIdentity reports. */
  userId: string;
  /** Set for credentials issued by AssumeRole. */
  expiresAt?: number;
}

/** Credentials handed out by AssumeRole. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  caller: Caller;
}

const SCOPE_RE = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;
const ASSUMED_AKID_RE = /^ASIA(\d{12})[A-Z0-9]{4}$/;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...`. */
export function parseAuthorization(header: string | null): CallerScope | undefined {
  if (!header) return undefined;
  const m = SCOPE_RE.exec(header);
  if (!m) return undefined;
  return { accessKeyId: m[1], region: m[3], service: m[4] };
}

/** Random uppercase alphanumerics, like the tails of real key ids. */
export function randomId(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** Random base64 text, used for secrets and session tokens. */
function randomSecret(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...buf));
}

/** Issues and resolves credentials for one fake instance. */
export class IdentityRegistry {
  #issued = new Map<string, IssuedCredentials>();

  constructor(private readonly baseAccountId: string) {}

  /** The identity behind any access key id the fake did not issue. */
  baseCaller(accessKeyId: string): Caller {
    return {
      account: this.baseAccountId,
      arn: `arn:aws:iam::${this.baseAccountId}:user/fake-base`,
      userId: `AIDA${accessKeyId.slice(4, 20).padEnd(16, "X")}`,
    };
  }

  /** Resolves an access key id to its caller (assumed role or base identity). */
  resolve(accessKeyId: string): Caller {
    const issued = this.#issued.get(accessKeyId);
    if (issued) return issued.caller;
    // An ASIA key with our layout that we did not issue (e.g. from another
    // fake instance) still names its account: honour it rather than silently
    // running as the base identity.
    const m = ASSUMED_AKID_RE.exec(accessKeyId);
    if (m) {
      return {
        account: m[1],
        arn: `arn:aws:sts::${m[1]}:assumed-role/unknown/unknown`,
        userId: `AROA${accessKeyId.slice(16)}:unknown`,
      };
    }
    return this.baseCaller(accessKeyId);
  }

  /** Creates credentials for `roleArn` in `account`, valid for `seconds`. */
  issue(account: string, roleArn: string, sessionName: string, seconds: number): IssuedCredentials {
    const accessKeyId = `ASIA${account}${randomId(4)}`;
    const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
    const roleId = `AROA${randomId(17)}`;
    const expiration = new Date(Date.now() + seconds * 1000);
    const creds: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomSecret(30),
      sessionToken: `FwoGZXIvYXdzE${randomSecret(96)}`,
      expiration,
      caller: {
        account,
        arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
        userId: `${roleId}:${sessionName}`,
        expiresAt: expiration.getTime(),
      },
    };
    this.#issued.set(accessKeyId, creds);
    return creds;
  }
}
