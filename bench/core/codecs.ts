// bench/core/codecs: PNG and NIfTI encode/decode time (median ms) and output size on fixed inputs — a noisy
// 256x256 gray slice, a 256x256 label map, a 112x112x80 float32 volume (gzip). Usage:
// node --conditions=@bcpseg/source --import tsx bench/core/codecs.ts [-- --json out.json]
import { writeFileSync } from "node:fs";
import { createRng, decodeNifti, decodePng, type EncodePngOptions, encodeNifti, encodePng } from "@bcpseg/core";
import { machineLine, printTable } from "../lib/table.ts";

const rng = createRng(7);
const W = 256;
const gray = new Uint8Array(W * W);
const labels = new Uint8Array(W * W);
for (let y = 0; y < W; y++) {
  for (let x = 0; x < W; x++) {
    const r = Math.hypot(x - 128, y - 128);
    gray[y * W + x] = Math.max(0, Math.min(255, Math.round(120 + 60 * Math.cos(r / 9) + 12 * (rng.random() - 0.5))));
    labels[y * W + x] = r < 30 ? 3 : r < 45 ? 2 : r < 70 ? 1 : 0;
  }
}
const shape = [112, 112, 80];
const volume = new Float32Array(shape[0] * shape[1] * shape[2]);
for (let i = 0; i < volume.length; i++) volume[i] = (i % 112 < 56 ? 200 : 40) + Math.round(8 * rng.random());

// Median of `iters` timed calls after `warmup`; awaits each, so it measures sync and async codecs alike.
async function time(fn: () => unknown, iters = 30, warmup = 5): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

const image = (data: Uint8Array) => ({ data, width: W, height: W, channels: 1 as const, bitDepth: 8 as const });
const pngCases: Array<[string, Uint8Array, EncodePngOptions]> = [
  ["gray 256x256, adaptive filter", gray, {}],
  ["labels 256x256, filter 0", labels, { filter: 0 }],
  // The edge API's label PNG settings (its answer to ?format=png).
  ["labels 256x256, edge route", labels, JSON.parse(process.env.BCPSEG_BENCH_ROUTE_PNG ?? '{"filter":0,"level":1}')],
];
const rows: (string | number)[][] = [];
const json: Record<string, { encodeMs: number; decodeMs: number; bytes: number }> = {};
for (const [name, data, options] of pngCases) {
  const bytes = encodePng(image(data), options);
  const encodeMs = await time(() => encodePng(image(data), options));
  const decodeMs = await time(() => decodePng(bytes));
  rows.push([`PNG ${name}`, encodeMs, decodeMs, bytes.length]);
  json[`png ${name}`] = { encodeMs, decodeMs, bytes: bytes.length };
}
const nii = encodeNifti({ data: volume, shape, gzip: true });
const niiEncodeMs = await time(() => encodeNifti({ data: volume, shape, gzip: true }), 5, 1);
const niiDecodeMs = await time(() => decodeNifti(nii), 5, 1);
rows.push(["NIfTI 112x112x80 float32, gzip", niiEncodeMs, niiDecodeMs, nii.length]);
json["nifti gzip"] = { encodeMs: niiEncodeMs, decodeMs: niiDecodeMs, bytes: nii.length };

console.log(machineLine());
printTable(["input", "encode ms", "decode ms", "bytes"], rows);
const at = process.argv.indexOf("--json");
if (at > 0) writeFileSync(process.argv[at + 1], `${JSON.stringify(json, null, 2)}\n`);
