// DICOM series read: bcpseg's readDicom + assembleDicomSeries beside pydicom (dcmread, sort on position, stack
// pixel_array * slope + intercept as float32) on the same files, which pydicom writes first: a CT series of
// 512 x 512 int16 slices. Run: node --conditions=@bcpseg/source --import tsx bench/core/dicom-read.ts [slices]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assembleDicomSeries, readDicom } from "@bcpseg/core";

const slices = Number(process.argv[2] ?? 120);
const PY = "/usr/bin/python3";
const dir = mkdtempSync(join(tmpdir(), "bcpseg-dicom-bench-"));
const py = (code: string) => {
  const r = spawnSync(PY, ["-c", code, dir, String(slices)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pydicom: ${r.stderr}`);
  return r.stdout.trim();
};
try {
  py(`
import sys, numpy as np, pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
d, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
for k in range(n):
    m = FileMetaDataset(); m.TransferSyntaxUID = ExplicitVRLittleEndian; m.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds = FileDataset(None, {}, file_meta=m, preamble=b"\\0" * 128); ds.is_little_endian = True; ds.is_implicit_VR = False
    ds.SOPClassUID = m.MediaStorageSOPClassUID; ds.SOPInstanceUID = f"1.2.3.{k}"; ds.SeriesInstanceUID = "1.2.3"; ds.Modality = "CT"
    ds.Rows = ds.Columns = 512; ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 1
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024; ds.PixelSpacing = [0.7, 0.7]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]; ds.ImagePositionPatient = [0, 0, 2.5 * ((k * 37) % n)]
    ds.PixelData = rng.integers(-1000, 2000, (512, 512), dtype=np.int16).tobytes()
    ds.save_as(f"{d}/{k:04d}.dcm")
`);
  const pydicomMs = py(`
import sys, os, time, numpy as np, pydicom
d = sys.argv[1]; runs = []
for _ in range(3):
    t = time.perf_counter()
    dss = sorted((pydicom.dcmread(os.path.join(d, f)) for f in sorted(os.listdir(d))), key=lambda s: float(s.ImagePositionPatient[2]))
    v = np.stack([s.pixel_array * float(s.RescaleSlope) + float(s.RescaleIntercept) for s in dss], -1).astype(np.float32)
    runs.append((time.perf_counter() - t) * 1000)
print(sorted(runs)[1])
`);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const files = readdirSync(dir).sort();
    assembleDicomSeries(files.map((f) => readDicom(new Uint8Array(readFileSync(join(dir, f))))));
    runs.push(performance.now() - t);
  }
  const ours = runs.sort((a, b) => a - b)[1];
  const theirs = Number(pydicomMs);
  console.log(`| series | bcpseg ms | pydicom ms | ratio (bcpseg/pydicom) |`);
  console.log(`| --- | --- | --- | --- |`);
  console.log(
    `| CT ${slices} x 512 x 512 int16, explicit VR LE | ${ours.toFixed(0)} | ${theirs.toFixed(0)} | ${(ours / theirs).toFixed(2)} |`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
