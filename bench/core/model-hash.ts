// What verifying bcpseg.sha256 at model load costs: core's synchronous sha256Hex (pure JS, what readModelInfo
// runs on every runtime) beside Web Crypto's digest, on graph-sized buffers. Median ms of 5. Prints a table.
import { sha256Hex } from "@bcpseg/core";

const sizes: [string, number][] = [
  ["int8 U-Net 2-D, 256x256 (~0.5 MiB)", 0.5],
  ["fp32 U-Net 2-D, full width (~7 MiB)", 7],
  ["fp32 V-Net 3-D, full width (~36 MiB)", 36],
];
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log("| graph bytes | sha256Hex ms | Web Crypto ms | sha256Hex MiB/s |");
console.log("| --- | --- | --- | --- |");
for (const [name, mib] of sizes) {
  const b = new Uint8Array(Math.round(mib * 1024 * 1024));
  for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
  sha256Hex(b.subarray(0, 1 << 16)); // warm the JIT
  const ours: number[] = [];
  const web: number[] = [];
  for (let k = 0; k < 5; k++) {
    let t = performance.now();
    const h = sha256Hex(b);
    ours.push(performance.now() - t);
    t = performance.now();
    const d = new Uint8Array(await crypto.subtle.digest("SHA-256", b));
    web.push(performance.now() - t);
    if (h !== Array.from(d, (x) => x.toString(16).padStart(2, "0")).join("")) throw new Error("digests differ");
  }
  const m = median(ours);
  console.log(`| ${name} | ${m.toFixed(1)} | ${median(web).toFixed(1)} | ${(mib / (m / 1000)).toFixed(0)} |`);
}
