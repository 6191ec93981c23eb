/**
 * Adler-32 (RFC 1950) of `bytes`: a = 1 + sum of bytes, b = sum of the a's, both mod 65521. 5552 is the
 * most bytes whose sums cannot pass 2^32 before the modulo (zlib's NMAX), so the modulo runs once per block.
 */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + 5552);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
