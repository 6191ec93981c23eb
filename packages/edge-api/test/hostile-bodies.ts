import { encodeNifti, encodePng } from "@bcpseg/core";

// Builders of hostile request bodies, parameterised so further cases of each class are one call away.

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + data.length);
  body.set(Array.from(type, (c) => c.charCodeAt(0)));
  body.set(data, 4);
  const out = new Uint8Array(12 + data.length);
  out.set(be32(data.length));
  out.set(body, 4);
  out.set(be32(crc32(body)), 8 + data.length);
  return out;
}

/** A PNG of `width` x `height` 8-bit gray whose IDAT is `idat` (any zlib stream), CRCs correct. */
export function pngWithIdat(width: number, height: number, idat: Uint8Array): Uint8Array {
  const parts = [
    Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", Uint8Array.from([...be32(width), ...be32(height), 8, 0, 0, 0, 0])),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * A zlib stream of `blocks` empty deflate blocks, then a stored block holding `data`: `kind` "dynamic" makes
 * each block carry a complete 15-bit literal code (a 2^15-entry table to build from ~170 bytes), "fixed" and
 * "stored" the cheapest empty blocks there are.
 */
export function emptyBlocksZlib(blocks: number, kind: "dynamic" | "fixed" | "stored", data: Uint8Array): Uint8Array {
  const bytes: number[] = [0x78, 0x01];
  let acc = 0;
  let n = 0;
  const bit = (b: number) => {
    acc |= b << n;
    if (++n === 8) {
      bytes.push(acc);
      acc = 0;
      n = 0;
    }
  };
  const bits = (v: number, k: number) => {
    for (let i = 0; i < k; i++) bit((v >> i) & 1);
  };
  const code = (v: number, k: number) => {
    for (let i = k - 1; i >= 0; i--) bit((v >> i) & 1);
  };
  const align = () => {
    while (n !== 0) bit(0);
  };
  for (let b = 0; b < blocks; b++) {
    if (kind === "fixed") {
      bits(0, 1);
      bits(1, 2);
      code(0, 7);
    } else if (kind === "stored") {
      bits(0, 1);
      bits(0, 2);
      align();
      bytes.push(0, 0, 0xff, 0xff);
    } else {
      bits(0, 1);
      bits(2, 2);
      bits(0, 5);
      bits(0, 5);
      bits(15, 4);
      for (let i = 0; i < 19; i++) bits(5, 3);
      const lengths = new Array<number>(258).fill(0);
      for (let s = 0; s < 14; s++) lengths[s] = s + 2;
      lengths[14] = 15;
      lengths[256] = 1;
      lengths[257] = 1;
      for (const l of lengths) code(l, 5);
      code(0, 1);
    }
  }
  bits(1, 1);
  bits(0, 2);
  align();
  bytes.push(data.length & 255, data.length >> 8, ~data.length & 255, (~data.length >> 8) & 255, ...data);
  let a = 1;
  let s = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return Uint8Array.from([...bytes, ...be32(((s << 16) | a) >>> 0)]);
}

/** A gzip NIfTI of `shape` (float32 zeros), optionally followed by `trailing` zero bytes (a bomb's payload). */
export async function zeroNifti(shape: [number, number, number], trailing = 0): Promise<Uint8Array> {
  const plain = encodeNifti({ data: new Float32Array(shape[0] * shape[1] * shape[2]), shape, dtype: "float32" });
  const all = new Uint8Array(plain.length + trailing);
  all.set(plain);
  return gzip(all);
}

/** A gzip NIfTI whose header declares `shape` but that carries only `voxels` float32 values. */
export async function lyingNifti(shape: [number, number, number], voxels = 8): Promise<Uint8Array> {
  const plain = encodeNifti({ data: new Float32Array(voxels), shape: [voxels, 1, 1], dtype: "float32" });
  const v = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  shape.forEach((d, k) => {
    v.setInt16(42 + 2 * k, d, true);
  });
  return gzip(plain);
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A gray PNG of zeros (deflates to almost nothing, whatever its size). */
export const zeroPng = (height: number, width: number): Uint8Array =>
  encodePng({ data: new Uint8Array(height * width), width, height, channels: 1, bitDepth: 8 });

/** A JSON body of the raw-array schema plus `keys` unknown keys. */
export function jsonWithKeys(keys: number): string {
  const doc: Record<string, unknown> = { data: "AAAAAAAAAAA=", shape: [1, 2] };
  for (let i = 0; i < keys; i++) doc[`unknown_${i}_${"k".repeat(16)}`] = i;
  return JSON.stringify(doc);
}
