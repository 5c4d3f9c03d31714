import zlib from "node:zlib";

/**
 * gzip built from cached pieces. A gzip body is a header, one deflate stream
 * and a trailer (CRC-32 and length). A deflate stream may be cut into pieces
 * that each end with a sync flush (on a byte boundary, no final block), and
 * such pieces concatenate into one valid stream, as pigz does. So serve
 * compresses the large cached part of /metrics once per scan and, per scrape,
 * only the few live self-metric lines, then joins the pieces.
 */

/** The fixed 10-byte gzip header: deflate, no name, no mtime, unknown OS. */
export const GZIP_HEADER: Uint8Array = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);

/**
 * Compresses `data` as a non-final deflate piece. Level 6 is zlib's default;
 * each piece is at most a few hundred KB, and the deflate window is only
 * 32 KB, so compressing pieces separately costs almost no ratio.
 */
export function deflatePiece(data: Uint8Array, level = 6): Uint8Array {
  return zlib.deflateRawSync(data, { level, finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/** Compresses `data` as the final deflate piece and appends the gzip trailer. */
export function gzipTail(data: Uint8Array, crcOfAll: number, totalLength: number): Uint8Array {
  const last = zlib.deflateRawSync(data, { level: 6 });
  const out = new Uint8Array(last.length + 8);
  out.set(last);
  const view = new DataView(out.buffer, out.byteOffset + last.length, 8);
  view.setUint32(0, crcOfAll >>> 0, true);
  view.setUint32(4, totalLength % 2 ** 32, true);
  return out;
}

/** CRC-32 (gzip's), continuing from `previous`. */
export function crc32(data: Uint8Array, previous = 0): number {
  return (zlib as unknown as { crc32(d: Uint8Array, v: number): number }).crc32(data, previous) >>>
    0;
}

const POLY = 0xedb88320;
/** X2N[k] is x^(2^k) modulo the CRC polynomial. */
const X2N: number[] = (() => {
  const t = [1 << 30 >>> 0];
  for (let k = 1; k < 32; k++) t.push(multModP(t[k - 1], t[k - 1]));
  return t;
})();

function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/**
 * The CRC-32 of A followed by B from the CRCs of A and B and B's length,
 * as zlib's `crc32_combine` (not exposed by node:zlib). This lets the two
 * exposition formats, whose small heads differ, share the CRC of the large
 * detail family.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  let p = 0x80000000; // x^0
  let n = lengthB;
  let k = 3; // bytes -> bits
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31], p);
    n = Math.floor(n / 2);
    k++;
  }
  return (multModP(p, crcA >>> 0) ^ crcB) >>> 0;
}
