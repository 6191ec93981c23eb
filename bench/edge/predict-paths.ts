// `bcpseg predict` before and after issue 12, on the same int8 model and images: the edge API's HTTP app in
// process (PNG body in, label PNG out, decoded again) against core's segmentImage on the same session (openModel).
// Same onnxruntime-web wasm build, one thread, warm sessions; median ms per image over 5 rounds. Prints a table.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodePng, encodePng, pngToGray, segmentImage } from "@bcpseg/core";
import { createApp, openModel, silentLogger } from "@bcpseg/edge-api";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bytes = new Uint8Array(readFileSync(join(root, "packages/edge-api/test/fixtures/unet2d-256-int8.onnx")));
const images = [
  [256, 256],
  [216, 256],
  [428, 512],
].map(([h, w]) => {
  const data = new Uint8Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.hypot(y - h / 2, x - w / 2) < h / 4 ? 200 : (x * 7 + y) % 50;
  return { h, w, png: encodePng({ data, width: w, height: h, channels: 1, bitDepth: 8 }) };
});

const app = createApp({ model: bytes, logger: silentLogger, page: false, warmup: 5 });
await app.ready;
const model = openModel(bytes, { warmup: 5 });
await model.ready;

async function viaHttp(png: Uint8Array): Promise<Uint8Array> {
  const r = await app.request("/v1/segment?format=png", {
    method: "POST",
    headers: { "content-type": "image/png" },
    body: png as Uint8Array<ArrayBuffer>,
  });
  return Uint8Array.from(decodePng(new Uint8Array(await r.arrayBuffer())).data);
}
async function direct(png: Uint8Array): Promise<Uint8Array> {
  const p = decodePng(png);
  const seg = await segmentImage(model.info.contract, { data: pngToGray(p), shape: [p.height, p.width] }, model.run);
  encodePng({ data: seg.labels, width: p.width, height: p.height, channels: 1, bitDepth: 8 }, { filter: 0, level: 1 });
  return seg.labels;
}

const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("| image | HTTP app in process ms | segmentImage ms | same labels |");
console.log("| --- | --- | --- | --- |");
for (const im of images) {
  const a: number[] = [];
  const b: number[] = [];
  let same = true;
  for (let round = 0; round < 5; round++) {
    let t = performance.now();
    const la = await viaHttp(im.png);
    a.push(performance.now() - t);
    t = performance.now();
    const lb = await direct(im.png);
    b.push(performance.now() - t);
    same &&= la.length === lb.length && la.every((v, i) => v === lb[i]);
  }
  console.log(`| ${im.h}x${im.w} PNG | ${median(a).toFixed(1)} | ${median(b).toFixed(1)} | ${same} |`);
}
await app.dispose();
await model.dispose();
