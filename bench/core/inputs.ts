// Deterministic benchmark inputs: a 256x256 4-class map with fragments and 112x112x80 binary blob volumes.
import { createRng, type Rng } from "@bcpseg/core";

function blobs(shape: number[], count: number, rng: Rng, radius: [number, number]): Float32Array {
  const [a, b, c = 1] = shape;
  const out = new Float32Array(a * b * c);
  for (let k = 0; k < count; k++) {
    const cx = rng.random() * a;
    const cy = rng.random() * b;
    const cz = rng.random() * c;
    const r = radius[0] + rng.random() * (radius[1] - radius[0]);
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(a, cx + r); x++)
      for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(b, cy + r); y++)
        for (let z = Math.max(0, Math.floor(cz - r)); z < Math.min(c, cz + r + 1); z++) {
          const d2 = (x - cx) ** 2 + (y - cy) ** 2 + (c > 1 ? (z - cz) ** 2 : 0);
          if (d2 < r * r) out[(x * b + y) * c + z] = 1;
        }
  }
  return out;
}

/** 256x256 class map: three classes of blobs plus 2% speckle of random classes (network-output-like). */
export function classMap2d(seed = 1): Uint8Array {
  const rng = createRng(seed);
  const map = new Uint8Array(256 * 256);
  for (let c = 1; c <= 3; c++) {
    const m = blobs([256, 256], 6, rng, [6, 30]);
    for (let i = 0; i < map.length; i++) if (m[i]) map[i] = c;
  }
  for (let i = 0; i < map.length; i++) if (rng.random() < 0.02) map[i] = rng.randint(0, 4);
  return map;
}

/** 112x112x80 binary volume: a few large blobs plus 0.5% speckle. */
export function binaryVolume(seed = 2): Uint8Array {
  const rng = createRng(seed);
  const m = blobs([112, 112, 80], 5, rng, [8, 24]);
  const out = new Uint8Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i] || rng.random() < 0.005 ? 1 : 0;
  return out;
}

/** A ground-truth/prediction pair on 112x112x80: one large blob and a perturbed copy. */
export function metricPair(seed = 3): { pred: Uint8Array; gt: Uint8Array } {
  const rng = createRng(seed);
  const gt = blobs([112, 112, 80], 3, rng, [14, 22]);
  const pred = new Uint8Array(gt.length);
  const shifted = blobs([112, 112, 80], 3, createRng(seed), [14, 22]);
  // shift by 2 voxels in x and add speckle so the surfaces differ
  for (let x = 0; x < 112; x++)
    for (let i = 0; i < 112 * 80; i++) {
      const src = x - 2 >= 0 ? shifted[(x - 2) * 112 * 80 + i] : 0;
      pred[x * 112 * 80 + i] = src || rng.random() < 0.0005 ? 1 : 0;
    }
  return { pred, gt: Uint8Array.from(gt) };
}
