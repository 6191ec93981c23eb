import { readFileSync } from "node:fs";
import { encodeNifti, encodePng } from "@bcpseg/core";

/** The bytes of test/fixtures/<name>. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

/** The fixture models: a 2D U-Net (64x64, 4 classes) and a 3D V-Net (32^3 patch, 2 classes), int8 and fp32. */
export const MODELS = {
  unet2d: "unet2d-64-int8.onnx",
  unet2dFp32: "unet2d-64-fp32.onnx",
  vnet3d: "vnet3d-32-int8.onnx",
  bench: "unet2d-256-int8.onnx",
} as const;

/** A quiet app's default models: 2D first (the default model), then 3D. */
export const modelBytes = (): Uint8Array[] => [fixture(MODELS.unet2d), fixture(MODELS.vnet3d)];

/** A smooth gray test image [H, W] with a bright disc, as samples in [0, max]. */
export function discImage(height: number, width: number, max = 255): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot(y - height / 2, x - width / 3);
      out.push(Math.round((r < Math.min(height, width) / 4 ? 0.9 : 0.2 + (0.1 * x) / width) * max));
    }
  }
  return out;
}

export function grayPng(height: number, width: number, bitDepth: 8 | 16 = 8): Uint8Array {
  const v = discImage(height, width, bitDepth === 16 ? 65535 : 255);
  const data = bitDepth === 16 ? Uint16Array.from(v) : Uint8Array.from(v);
  return encodePng({ data, width, height, channels: 1, bitDepth });
}

export function rgbPng(height: number, width: number): Uint8Array {
  const v = discImage(height, width);
  const data = new Uint8Array(height * width * 3);
  v.forEach((g, i) => {
    data.set([g, Math.floor(g / 2), 255 - g], 3 * i);
  });
  return encodePng({ data, width, height, channels: 3, bitDepth: 8 });
}

/** A float32 NIfTI [X, Y, Z] with 1.5 x 1.25 x 5 mm voxels. */
export async function niftiVolume(shape: [number, number, number], gzip: boolean): Promise<Uint8Array> {
  const n = shape[0] * shape[1] * shape[2];
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 100 + (i % 13));
  return encodeNifti({ data, shape, spacing: [1.5, 1.25, 5], gzip });
}

/** Little-endian bytes of a Float32Array. */
export const f32Bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
