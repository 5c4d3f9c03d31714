/**
 * Opaque pagination tokens shared by the fake's services: base64url-encoded
 * JSON naming the listing (`k`), the offset of the next item (`o`) and the
 * index of the page the token fetches (`p`). A serial number makes tokens for
 * equal positions distinct, as real tokens are.
 *
 * @module
 */

/** Where a token resumes a listing. */
export interface TokenData {
  /** Listing key: target, operation, parent, filters... A token only fits its own listing. */
  k: string;
  /** Offset of the next item. */
  o: number;
  /** Index of the page this token fetches (0 is the first page, which has no token). */
  p: number;
}

let serial = 0;

/** Encodes `data` as an opaque token. */
export function encodeToken(data: TokenData): string {
  const json = JSON.stringify({ ...data, i: ++serial });
  return btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes a token from `encodeToken`; undefined for anything else. */
export function decodeToken(token: string): TokenData | undefined {
  try {
    const b64 = token.replace(/-/g, "+").replace(/_/g, "/");
    const data = JSON.parse(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)));
    if (typeof data?.k === "string" && Number.isInteger(data.o) && Number.isInteger(data.p)) {
      return { k: data.k, o: data.o, p: data.p };
    }
  } catch {
    // fall through: any undecodable token is simply invalid
  }
  return undefined;
}
