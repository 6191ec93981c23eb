import type { SegFrame } from "./build-seg-dataset.ts";

/**
 * Packs binary frames into `out` (zeroed): frame f's pixel i (row-major) is bit f * plane + i of the stream,
 * least significant bit first within each byte, frames not padded to a byte (PS3.5 8.1.1, BitsAllocated 1).
 */
export function packSegFrames(labels: Uint8Array, plane: number, frames: readonly SegFrame[], out: Uint8Array): void {
  let byte = 0;
  let mask = 1;
  for (const f of frames) {
    const base = f.slice * plane;
    const value = f.segment;
    for (let i = 0; i < plane; i++) {
      if (labels[base + i] === value) out[byte] |= mask;
      mask <<= 1;
      if (mask === 256) {
        mask = 1;
        byte++;
      }
    }
  }
}
