import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { preprocess } from "@bcpseg/core";
import { contractForConfig } from "./contract-for-config.ts";
import { openTrainData } from "./open-data.ts";
import { preset } from "./preset.ts";

describe("openTrainData: synthetic 2-D phantoms", () => {
  it("gives training and validation slices the intensities the exported contract gives at inference", async () => {
    const config = preset("synth2d", {
      data: { synthPatients: 2, synthValPatients: 1, synthSize: [32, 32] },
      patchSize: [32, 32],
    });
    const d = await openTrainData(config);
    const contract = contractForConfig(config);
    const sample = await d.train.get(3);
    // Serving a slice = core's preprocess with the contract: the trainer must have fed the same values.
    const served = preprocess(contract, { data: sample.image, shape: sample.shape }).input;
    assert.deepEqual([...served], [...sample.image]);
    assert.ok(d.val, "synthetic runs have validation cases");
    const c = await d.val.get(0);
    const [, h, w] = c.shape;
    const slice = c.image.subarray(0, h * w);
    assert.deepEqual([...preprocess(contract, { data: slice, shape: [h, w] }).input], [...slice]);
  });
});
