// bench/core/dicom-seg: DICOM SEG write time (median ms) and size for an ACDC-sized result (10 slices 256x256,
// 4 classes) and an LA-sized one (80 slices 112x112, 2 classes), beside core's NIfTI of the same labels and, in
// the same run, pydicom writing the same SEG (pack_bits of the masks + dcmwrite). Usage:
// node --conditions=@bcpseg/source --import tsx bench/core/dicom-seg.ts
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dicomSegByteBound, encodeNifti, planDicomSeg, type SegSource, segToDicom } from "@bcpseg/core";
import { machineLine, printTable, timeMs } from "../lib/table.ts";

const ACDC = ["background", "right ventricle", "myocardium", "left ventricle"].map((name, index) => ({ index, name }));
const LA = ["background", "left atrium"].map((name, index) => ({ index, name }));

function series(S: number, R: number, C: number): SegSource {
  return {
    studyInstanceUid: "1.2.826.0.1.3680043.8.498.1",
    seriesInstanceUid: "1.2.826.0.1.3680043.8.498.2",
    frameOfReferenceUid: "1.2.826.0.1.3680043.8.498.3",
    patientId: "BENCH",
    modality: "MR",
    rows: R,
    columns: C,
    pixelSpacing: [1.5625, 1.5625],
    sliceThickness: 10,
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    slices: Array.from({ length: S }, (_, k) => ({
      sopClassUid: "1.2.840.10008.5.1.4.1.1.4",
      sopInstanceUid: `1.2.826.0.1.3680043.8.498.2.${k + 1}`,
      imagePositionPatient: [-200, -200, 10 * k] as [number, number, number],
    })),
  };
}

/** Rings of classes K-1..1 around the centre, their radii growing with the slice. */
function rings(S: number, R: number, C: number, K: number): Uint8Array {
  const out = new Uint8Array(S * R * C);
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < C; x++) {
        const r = Math.hypot(x - C / 2, y - R / 2) / (0.6 + (0.4 * z) / S);
        const ring = Math.floor(r / (R / (4 * K)));
        out[(z * R + y) * C + x] = ring < K - 1 ? K - 1 - ring : 0;
      }
    }
  }
  return out;
}

const cases = [
  { name: "ACDC-sized 10x256x256, 4 classes", S: 10, R: 256, C: 256, classes: ACDC },
  { name: "LA-sized 80x112x112, 2 classes", S: 80, R: 112, C: 112, classes: LA },
];
const dir = mkdtempSync(join(tmpdir(), "bcpseg-bench-seg-"));
const py = fileURLToPath(new URL("./dicom_seg_pydicom.py", import.meta.url));
// Warm enough for the JIT to optimise the per-pixel loops (pydicom's are numpy's C); median of 40.
const RUNS = { iters: 40, warmup: 10 };
const rows: (string | number)[][] = [];
const load = loadavg()[0];
for (const c of cases) {
  const source = series(c.S, c.R, c.C);
  const labels = rings(c.S, c.R, c.C, c.classes.length);
  const volume = { labels, shape: [c.S, c.R, c.C] };
  const seg = segToDicom(volume, source, c.classes);
  const planMs = timeMs(() => planDicomSeg(labels, source, c.classes), RUNS);
  const boundMs = timeMs(() => dicomSegByteBound(source, c.classes), RUNS);
  const writeMs = timeMs(() => segToDicom(volume, source, c.classes), RUNS);
  // What pydicom's column does: serialise an object already built (here the plan), pixels packed.
  const plan = planDicomSeg(labels, source, c.classes);
  const encodeMs = timeMs(() => plan.encode(), RUNS);
  const nifti = encodeNifti({ data: labels, shape: [c.S, c.R, c.C] });
  const niftiMs = timeMs(() => encodeNifti({ data: labels, shape: [c.S, c.R, c.C] }), RUNS);
  const file = join(dir, "seg.dcm");
  writeFileSync(file, seg.bytes);
  const r = spawnSync("/usr/bin/python3", [py, file, String(RUNS.iters)], { encoding: "utf8" });
  const p = r.status === 0 ? JSON.parse(r.stdout) : { packMs: Number.NaN, writeMs: Number.NaN, bytes: Number.NaN };
  rows.push([
    c.name,
    String(seg.frames),
    planMs,
    boundMs,
    writeMs,
    encodeMs,
    p.writeMs,
    p.packMs,
    seg.bytes.length,
    p.bytes,
    niftiMs,
    nifti.length,
  ]);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${machineLine()} · load ${load.toFixed(2)}`);
printTable(
  [
    "labels",
    "frames",
    "plan (size) ms",
    "bound ms",
    "bcpseg write ms",
    "bcpseg encode ms",
    "pydicom write ms",
    "pydicom pack_bits ms",
    "SEG bytes",
    "pydicom bytes",
    "NIfTI write ms",
    "NIfTI bytes",
  ],
  rows,
);
