import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeNifti, encodePng } from "@bcpseg/core";
import { writeH5 } from "./h5-node.ts";
import { inspectDataset } from "./inspect-dataset.ts";
import { LA_SCANS_DIR } from "./la-dataset.ts";

let root: string;
const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => i / n);
const u8 = (n: number, k: number) => Uint8Array.from({ length: n }, (_, i) => i % k);

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-inspect-"));
  const acdc = join(root, "acdc");
  await mkdir(join(acdc, "data", "slices"), { recursive: true });
  await writeFile(join(acdc, "train_slices.list"), "patient001_s1\npatient001_s2\npatient002_s1\npatient003_s1\n");
  await writeH5(join(acdc, "data", "slices", "patient001_s1.h5"), {
    image: { data: f32(12), shape: [3, 4] },
    label: { data: u8(12, 4), shape: [3, 4] },
  });
  await writeH5(join(acdc, "data", "slices", "patient001_s2.h5"), {
    image: { data: f32(20), shape: [5, 4] },
    label: { data: u8(20, 2), shape: [5, 4] },
  });
  await writeH5(join(acdc, "data", "slices", "patient002_s1.h5"), {
    image: { data: f32(12), shape: [3, 4] },
    label: { data: u8(12, 7), shape: [3, 4] },
  });
  await writeFile(join(acdc, "data", "slices", "patient003_s1.h5"), "garbage");
  await writeFile(join(acdc, "val.list"), "patient009_frame01\n");

  await mkdir(join(root, "la", LA_SCANS_DIR, "A"), { recursive: true });
  await writeFile(join(root, "la", "train.list"), "A\n");
  await writeH5(join(root, "la", LA_SCANS_DIR, "A", "mri_norm2.h5"), {
    image: { data: f32(24), shape: [2, 3, 4] },
    label: { data: u8(24, 2), shape: [2, 3, 4] },
  });

  await mkdir(join(root, "nii"), { recursive: true });
  await writeFile(join(root, "nii", "x.nii"), encodeNifti({ data: f32(8), shape: [2, 2, 2] }));
  await writeFile(join(root, "nii", "x_gt.nii"), encodeNifti({ data: u8(8, 3), shape: [2, 2, 2] }));

  await mkdir(join(root, "png", "images"), { recursive: true });
  await mkdir(join(root, "png", "masks"), { recursive: true });
  const png = (data: Uint8Array) => encodePng({ data, width: 2, height: 2, channels: 1, bitDepth: 8 });
  await writeFile(join(root, "png", "images", "a.png"), await png(new Uint8Array(4)));
  await writeFile(join(root, "png", "masks", "a.png"), await png(u8(4, 2)));
  await writeFile(join(root, "png", "images", "b.png"), await png(new Uint8Array(4)));
  await mkdir(join(root, "empty"));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("inspectDataset", () => {
  it("reports an ACDC folder: counts, shape range, labels seen and every bad file", async () => {
    const r = await inspectDataset(join(root, "acdc"));
    assert.equal(r.layout, "acdc-h5");
    assert.equal(r.splits.length, 2);
    const [train, val] = r.splits;
    assert.equal(train.samples, 4);
    assert.equal(train.patients, 3);
    assert.equal(train.read, 2);
    assert.deepEqual(train.shapeMin, [3, 4]);
    assert.deepEqual(train.shapeMax, [5, 4]);
    assert.deepEqual(train.labelValues, [0, 1, 2, 3]);
    assert.equal(val.read, 0);
    const codes = r.problems.map((p) => [p.code, p.file?.split("/").pop()]);
    assert.deepEqual(codes, [
      ["ERR_DATA_LABEL_VALUES", "patient002_s1.h5"],
      ["ERR_DATA_UNREADABLE", "patient003_s1.h5"],
      ["ERR_DATA_MISSING", "patient009_frame01.h5"],
    ]);
  });

  it("honours limit", async () => {
    const r = await inspectDataset(join(root, "acdc"), { limit: 1 });
    assert.equal(r.splits[0].read, 1);
    assert.equal(r.problems.length, 1); // only the missing volume of val
  });

  it("detects LA, NIfTI and PNG folders", async () => {
    const la = await inspectDataset(join(root, "la"));
    assert.equal(la.layout, "la-h5");
    assert.deepEqual(la.splits[0].shapeMax, [2, 3, 4]);
    assert.deepEqual(la.splits[0].labelValues, [0, 1]);
    const nii = await inspectDataset(join(root, "nii"));
    assert.equal(nii.layout, "nifti");
    assert.deepEqual(nii.splits[0].labelValues, [0, 1, 2]);
    const png = await inspectDataset(join(root, "png"));
    assert.equal(png.layout, "png");
    assert.equal(png.splits[0].samples, 2);
    assert.equal(png.splits[0].labeled, 1);
    assert.deepEqual(png.problems, []);
  });

  it("reports an unknown layout and a missing folder", async () => {
    assert.equal((await inspectDataset(join(root, "empty"))).problems[0].code, "ERR_DATA_LAYOUT");
    const missing = await inspectDataset(join(root, "nowhere"));
    assert.equal(missing.layout, "unknown");
    assert.equal(missing.problems[0].code, "ERR_DATA_MISSING");
  });
});
