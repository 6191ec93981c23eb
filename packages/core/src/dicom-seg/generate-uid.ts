import type { Rng } from "../rng/create-rng.ts";

/**
 * A new UID in the 2.25 arc (a random version 4 UUID written as one decimal integer, ITU-T X.667 / PS3.5
 * B.2): 122 random bits from `rng` (replayable) or else the runtime's Web Crypto.
 */
export function generateUid(rng?: Rng): string {
  const bytes = new Uint8Array(16);
  if (rng) {
    const view = new DataView(bytes.buffer);
    for (let k = 0; k < 4; k++) view.setUint32(4 * k, rng.nextUint32());
  } else {
    globalThis.crypto.getRandomValues(bytes);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString()}`;
}
