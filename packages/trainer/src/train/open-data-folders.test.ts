import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeNifti, encodePng } from "@bcpseg/core";
import { openTrainData } from "./open-data.ts";
import { preset } from "./preset.ts";

let root: string;
// NIfTI volumes [X, Y, Z] = [4, 3, 2]: voxel (i, j, k) holds 100 i + 10 j + k.
const shape = [4, 3, 2];
const volume = Float32Array.from({ length: 24 }, (_, n) => {
  const [i, j, k] = [Math.floor(n / 6), Math.floor(n / 2) % 3, n % 2];
  return 100 * i + 10 * j + k;
});
const labels = Uint8Array.from({ length: 24 }, (_, n) => n % 3);

async function put(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, bytes);
}

const png = (h: number, w: number, v: (p: number) => number) =>
  encodePng({
    data: Uint8Array.from({ length: h * w }, (_, p) => v(p)),
    width: w,
    height: h,
    channels: 1,
    bitDepth: 8,
  });

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-folders-"));
  // PNG: patients 1..5 with two 16x16 slices each and masks; patient 6 without masks; patient 5's second slice 32x32.
  for (let p = 1; p <= 6; p++) {
    for (const s of [1, 2]) {
      const id = `patient00${p}_s${s}`;
      const size = p === 5 && s === 2 ? 32 : 16;
      await put(join(root, "png", "images", `${id}.png`), await png(size, size, (q) => (q * 7 + p) % 256));
      if (p < 6) await put(join(root, "png", "masks", `${id}.png`), await png(size, size, (q) => q % 3));
    }
  }
  for (const p of [7, 8]) {
    await put(join(root, "png-val", "images", `patient00${p}_s1.png`), await png(16, 16, (q) => q % 256));
    await put(join(root, "png-val", "masks", `patient00${p}_s1.png`), await png(16, 16, (q) => q % 2));
  }
  // NIfTI: five labeled volumes and one without a label.
  for (let c = 1; c <= 6; c++) {
    const id = `case${c}`;
    await put(join(root, "nii", "imagesTr", `${id}.nii.gz`), encodeNifti({ data: volume, shape, gzip: true }));
    if (c < 6) await put(join(root, "nii", "labelsTr", `${id}.nii.gz`), encodeNifti({ data: labels, shape }));
  }
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

const config2d = (data: Record<string, unknown>) =>
  preset("synth2d", {
    data: { labeledFraction: undefined, labeledPatients: 2, ...data },
    classes: 3,
    batch: { labeled: 2, unlabeled: 2 },
  });

describe("openTrainData: PNG folders", () => {
  it("holds out the last labeled patients, labels the first ones and keeps mask-less images unlabeled", async () => {
    const d = await openTrainData(config2d({ kind: "png", root: join(root, "png") }));
    // 5 patients with masks: round(0.2 * 5) = 1 held out (patient005), patients 1..4 and 6 train.
    assert.equal(d.train.length, 10);
    assert.deepEqual(d.split.labeledPatients, ["patient001", "patient002"]);
    assert.deepEqual(d.split.labeled, [0, 1, 2, 3]);
    assert.deepEqual(d.split.unlabeled, [4, 5, 6, 7, 8, 9]);
    assert.equal((await d.train.get(9)).label, undefined);
    // Images min-max normalized, as the 2-D contract does before inference.
    const img = (await d.train.get(0)).image;
    assert.deepEqual([Math.min(...img), Math.max(...img)], [0, 1]);
    assert.ok(d.val);
    // patient005 has a 16x16 and a 32x32 slice: one case per size.
    assert.deepEqual(d.val.ids, ["patient005_16x16", "patient005_32x32"]);
    assert.deepEqual((await d.val.get(1)).shape, [1, 32, 32]);
    assert.equal(d.val.rank, 3);
  });

  it("validates on valRoot when given, and stacks a patient's slices", async () => {
    const d = await openTrainData(
      config2d({
        kind: "png",
        root: join(root, "png"),
        valRoot: join(root, "png-val"),
        labeledPatients: undefined,
        labeledFraction: 0.5,
      }),
    );
    assert.equal(d.train.length, 12);
    // A fraction counts every training patient (6 → 3).
    assert.deepEqual(d.split.labeledPatients, ["patient001", "patient002", "patient003"]);
    assert.deepEqual(d.val?.ids, ["patient007", "patient008"]);
    assert.deepEqual((await d.val?.get(0))?.shape, [1, 16, 16]);
  });

  it("rejects a 3-D model and folders too small to hold patients out (ERR_TRAIN_DATA)", async () => {
    const c3 = preset("synth3d", { data: { kind: "png", root: join(root, "png") } });
    await assert.rejects(openTrainData(c3), { code: "ERR_TRAIN_DATA" });
    await assert.rejects(openTrainData(config2d({ kind: "png", root: join(root, "png"), valFraction: 0.99 })), {
      code: "ERR_TRAIN_DATA",
    });
    await assert.rejects(openTrainData(config2d({ kind: "png", root: join(root, "png"), labeledPatients: 5 })), {
      code: "ERR_TRAIN_DATA",
    });
  });
});

describe("openTrainData: NIfTI folders", () => {
  it("trains a 2-D model on the [Y, X] slices of the [Z, Y, X] stack the edge API segments", async () => {
    const d = await openTrainData(config2d({ kind: "nifti", root: join(root, "nii") }));
    // case5 held out; case1..4 and case6 give 2 slices each.
    assert.equal(d.train.length, 10);
    assert.equal(d.train.rank, 2);
    assert.deepEqual(d.split.labeled, [0, 1, 2, 3]);
    assert.deepEqual(d.split.unlabeled, [4, 5, 6, 7, 8, 9]);
    const s = await d.train.get(1);
    assert.deepEqual(s.shape, [3, 4]);
    assert.equal(s.id, "case1_slice_1");
    // slice k = 1, row j, column i is voxel (i, j, 1), min-max normalized over the whole stack (0..321) as the
    // 2-D contract normalizes a served NIfTI stack.
    const raw = [1, 101, 201, 301, 11, 111, 211, 311, 21, 121, 221, 321];
    for (const [p, v] of raw.entries()) assert.ok(Math.abs(s.image[p] - v / 321) < 1e-6, `pixel ${p}`);
    assert.equal(s.label?.[1], labels[1 * 6 + 0 * 2 + 1]);
    assert.equal((await d.train.get(9)).label, undefined);
    assert.deepEqual(d.val?.ids, ["case5"]);
    assert.deepEqual((await d.val?.get(0))?.shape, [2, 3, 4]);
  });

  it("trains a 3-D model on the volumes as they are", async () => {
    const c = preset("synth3d", {
      data: { kind: "nifti", root: join(root, "nii"), labeledPatients: 2 },
      classes: 3,
      patchSize: [16, 16, 16],
    });
    const d = await openTrainData(c);
    assert.equal(d.train.rank, 3);
    assert.deepEqual(d.train.ids, ["case1", "case2", "case3", "case4", "case6"]);
    assert.deepEqual(d.split.labeled, [0, 1]);
    const v = await d.train.get(0);
    assert.deepEqual(v.shape, shape);
    // z-scored per volume, as the 3-D contract does.
    const mean = v.image.reduce((a, b) => a + b, 0) / v.image.length;
    assert.ok(Math.abs(mean) < 1e-5, `mean ${mean}`);
    assert.deepEqual(d.val?.ids, ["case5"]);
    assert.deepEqual((await d.val?.get(0))?.shape, shape);
  });
});
