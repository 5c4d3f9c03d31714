/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text`: a fast, stable,
 * non-cryptographic hash. Sharding depends on its exact values, so it never
 * changes.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
