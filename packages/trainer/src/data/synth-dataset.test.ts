import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { synthSlices2d } from "@bcpseg/core";
import { splitByPatients } from "./split-by-patients.ts";
import { SynthDataset2d, SynthDataset3d } from "./synth-dataset.ts";

describe("SynthDataset2d", () => {
  it("serves core's synthSlices2d slice by slice, grouped by patient", async () => {
    const options = { patients: 3, slicesPerPatient: 4, size: [20, 16], seed: 5 };
    const ds = new SynthDataset2d(options);
    const ref = synthSlices2d(options);
    assert.equal(ds.length, 12);
    assert.equal(ds.rank, 2);
    assert.equal(ds.classes, 4);
    assert.deepEqual(ds.patients, ref.patientIds);
    assert.equal(ds.ids[5], `${ref.patientIds[5]}_slice_1`);
    const s = await ds.get(5);
    assert.deepEqual(s.shape, [20, 16]);
    assert.deepEqual([...s.image], [...ref.images.slice(5 * 320, 6 * 320)]);
    assert.deepEqual([...s.label!], [...ref.labels.slice(5 * 320, 6 * 320)]);
    s.image[0] = 99; // a copy: the dataset is not changed through a sample
    assert.notEqual((await ds.get(5)).image[0], 99);
    assert.equal(splitByPatients(ds.patients, { labeledPatients: 1 }).labeled.length, 4);
    await assert.rejects(ds.get(12), { code: "ERR_ARGUMENT" });
  });
});

describe("SynthDataset3d", () => {
  it("serves core's synthVolumes3d, one patient per volume", async () => {
    const ds = new SynthDataset3d({ count: 2, size: [12, 10, 8], seed: 2 });
    assert.deepEqual(ds.ids, ["synthvol0000", "synthvol0001"]);
    assert.deepEqual(ds.patients, ds.ids);
    const v = await ds.get(1);
    assert.deepEqual(v.shape, [12, 10, 8]);
    assert.equal(v.image.length, 960);
    assert.ok(v.label!.every((x) => x === 0 || x === 1));
    assert.ok(v.label!.some((x) => x === 1));
  });
});
