import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createRng, defaultContract2d, normalizeIntensity } from "@bcpseg/core";
import { sharedDataFolder } from "../../../../bench/lib/shared-data.ts";
import fixtures from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { AcdcDataset } from "./acdc-dataset.ts";
import { augmentSample2d } from "./augment-sample.ts";
import { inspectDataset } from "./inspect-dataset.ts";
import { LaDataset } from "./la-dataset.ts";
import { splitByPatients } from "./split-by-patients.ts";
import { splitFirst } from "./split-first.ts";
import { TwoStreamBatchSampler } from "./two-stream-batch-sampler.ts";

// The real data live beside the project (`../shared/data` from the repo root), or where BCPSEG_DATA points.
const dataRoot = sharedDataFolder();
const skip = existsSync(join(dataRoot, "ACDC", "train_slices.list"))
  ? false
  : `no real data at ${dataRoot} (set BCPSEG_DATA to the folder holding ACDC/ and LA/)`;

describe("real ACDC data", { skip }, () => {
  it("splits the training list as patients_to_slices: 3 → 68, 7 → 136 (all reference keys)", async () => {
    const ds = await AcdcDataset.open(join(dataRoot, "ACDC"));
    assert.equal(ds.length, 1312);
    assert.equal(new Set(ds.patients).size, 70);
    for (const [n, slices] of Object.entries(fixtures.acdc_patients_to_slices.values)) {
      const s = splitByPatients(ds.patients, { labeledPatients: Number(n) });
      assert.equal(s.labeled.length, slices, `${n} patients`);
      assert.equal(s.labeled.at(-1), slices - 1, "labeled = the first lines of the list");
    }
    const tenPercent = splitByPatients(ds.patients, { labeledFraction: 0.1 });
    const sampler = new TwoStreamBatchSampler(tenPercent.labeled, tenPercent.unlabeled, 24, 12, createRng(1337));
    assert.equal([...sampler].length, 11);
  });

  it("reads slices [H, W] float32 in [0, 1] with uint8 labels in 0..3", async () => {
    const ds = await AcdcDataset.open(join(dataRoot, "ACDC"));
    for (const i of [0, 1, 700]) {
      const s = await ds.get(i);
      assert.equal(s.shape.length, 2);
      assert.ok(s.image instanceof Float32Array && s.label instanceof Uint8Array);
      assert.equal(s.image.length, s.shape[0] * s.shape[1]);
      assert.ok(s.image.every((v) => v >= 0 && v <= 1));
      assert.ok(s.label!.every((v) => v <= 3));
      const a = augmentSample2d(s, [256, 256], createRng(i));
      assert.deepEqual(a.shape, [256, 256]);
    }
  });

  it("stores volumes min-max normalized: the 2-D contract's intensity step leaves them as they are", async () => {
    // Why the trainer reads ACDC as stored: a served volume gets exactly this step (scope "image").
    const ds = await AcdcDataset.open(join(dataRoot, "ACDC"), { split: "val" });
    const contract = defaultContract2d({ size: [256, 256] });
    for (const i of [0, 7, 19]) {
      const v = await ds.get(i);
      const again = normalizeIntensity(contract, { data: v.image, shape: v.shape });
      let worst = 0;
      for (let k = 0; k < again.length; k++) worst = Math.max(worst, Math.abs(again[k] - v.image[k]));
      assert.ok(worst < 1e-6, `volume ${v.id}: max change ${worst}`);
    }
  });

  it("reads a validation volume [S, H, W]", async () => {
    const ds = await AcdcDataset.open(join(dataRoot, "ACDC"), { split: "val" });
    assert.equal(ds.length, 20);
    const v = await ds.get(0);
    assert.equal(v.shape.length, 3);
    assert.ok(v.shape[0] >= 6 && v.shape[0] <= 17);
    assert.ok(v.label!.some((x) => x === 3));
  });
});

describe("real LA data", { skip }, () => {
  it("reads a volume [X, Y, Z] with Z = 88 and labels in {0, 1}; splits the first N scans", async () => {
    const ds = await LaDataset.open(join(dataRoot, "LA"));
    assert.equal(ds.length, 16);
    const v = await ds.get(0);
    assert.equal(v.shape.length, 3);
    assert.equal(v.shape[2], 88);
    assert.ok(v.image instanceof Float32Array);
    const ones = v.label!.reduce((n, x) => (x > 1 ? Number.NaN : n + x), 0);
    assert.ok(ones > 0);
    assert.deepEqual(splitFirst(ds.ids, 4).labeledPatients, ds.ids.slice(0, 4));
  });

  it("inspects the LA folder", async () => {
    const r = await inspectDataset(join(dataRoot, "LA"), { limit: 1 });
    assert.equal(r.layout, "la-h5");
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.splits.map((s) => [s.samples, s.read]),
      [
        [16, 1],
        [4, 1],
      ],
    );
  });
});
