import type { SegFrame } from "./build-seg-dataset.ts";

/**
 * Packs binary frames into `out` (zeroed): frame f's pixel i (row-major) is bit f * plane + i of the stream,
 * least significant bit first within each byte, frames not padded to a byte (PS3.5 8.1.1, BitsAllocated 1).
 * One pass over each slice sets the bit of whichever frame its pixel's class has, so K classes cost one read.
 */
export function packSegFrames(labels: Uint8Array, plane: number, frames: readonly SegFrame[], out: Uint8Array): void {
  const slices = labels.length / plane;
  let classes = 0;
  for (const f of frames) classes = Math.max(classes, f.segment + 1);
  const frameOf = new Int32Array(slices * classes).fill(-1); // [slice, class] -> frame index
  frames.forEach((f, k) => {
    frameOf[f.slice * classes + f.segment] = k;
  });
  const aligned = plane % 8 === 0; // every frame starts on a byte: byte = f * plane / 8 + i / 8
  const frameBytes = plane / 8;
  for (let z = 0; z < slices; z++) {
    const base = z * plane;
    const row = z * classes;
    for (let i = 0; i < plane; i++) {
      const c = labels[base + i];
      if (c === 0 || c >= classes) continue;
      const f = frameOf[row + c];
      if (f < 0) continue;
      if (aligned) {
        out[f * frameBytes + (i >>> 3)] |= 1 << (i & 7);
      } else {
        // f * plane + i can pass 2^31 bits: whole bytes and a remainder without int32 arithmetic.
        const bit = f * plane + i;
        const byte = Math.floor(bit / 8);
        out[byte] |= 1 << (bit - 8 * byte);
      }
    }
  }
}
