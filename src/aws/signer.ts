import { SignatureV4 } from "@smithy/signature-v4";

/** What a signing key is derived from. */
interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

type DeriveKey = (
  c: Credentials,
  region: string,
  date: string,
  service: string,
) => Promise<Uint8Array>;

/** What a client's signer is made with. */
export interface SignerSpec {
  /** The client's own (memoized) credentials provider. */
  readonly credentials: () => Promise<Credentials>;
  readonly region: string;
  /** The signing name (`tagging`, `sts`, ...); each call's endpoint may name another. */
  readonly service: string;
  // deno-lint-ignore no-explicit-any
  readonly sha256: any;
}

/**
 * A SigV4 signer kept for the life of one client (its `signer` setting),
 * which keeps the client's last signing key. Left to itself the SDK builds a
 * new signer for every request (copying the client's whole config into
 * it), and each derives the key again unless it is among the 50 the SDK
 * caches for the whole process, after an HMAC of the secret to look it up:
 * with thousands of account-regions in flight, five HMACs per request. The
 * key is reused while the credentials, date, region and service are the same
 * (a session's credentials change on refresh, the date daily).
 *
 * @example
 * let signer;
 * const client = new STSClient({ ..., signer: () => signer ??= clientSigner({ ... }) });
 */
export function clientSigner(spec: SignerSpec): SignatureV4 {
  const signer = new SignatureV4({ ...spec, uriEscapePath: true });
  // The SDK's own derivation, through its process-wide cache; `private` in its types.
  const slot = signer as unknown as { getSigningKey: DeriveKey };
  const derive = slot.getSigningKey.bind(signer);
  let last: { c: Credentials; region: string; date: string; service: string } | null = null;
  let lastKey: Promise<Uint8Array> | null = null;
  slot.getSigningKey = (c, region, date, service) => {
    if (
      lastKey !== null && last !== null && last.region === region && last.date === date &&
      last.service === service && last.c.accessKeyId === c.accessKeyId &&
      last.c.secretAccessKey === c.secretAccessKey && last.c.sessionToken === c.sessionToken
    ) {
      return lastKey;
    }
    const key = derive(c, region, date, service);
    last = { c, region, date, service };
    lastKey = key;
    key.catch(() => {
      if (lastKey === key) lastKey = null;
    });
    return key;
  };
  return signer;
}
