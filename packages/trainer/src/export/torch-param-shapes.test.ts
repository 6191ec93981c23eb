import assert from "node:assert/strict";
import { describe, it } from "node:test";
import shapes from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { torchParamShapes } from "./torch-param-shapes.ts";

const official = (table: Record<string, number[]>) =>
  Object.entries(table).filter(([k]) => /^(encoder|decoder)\./.test(k) && !k.endsWith("num_batches_tracked"));

describe("torchParamShapes", () => {
  it("width 1 reproduces the official state-dict shapes and order (U-Net and V-Net)", () => {
    const cases = [
      [{ kind: "unet2d", inChannels: 1, numClasses: 4, width: 1 }, shapes.unet_2d],
      [{ kind: "vnet3d", inChannels: 1, numClasses: 2, width: 1 }, shapes.vnet_3d],
    ] as const;
    for (const [arch, ref] of cases) {
      const ours = [...torchParamShapes(arch)].map(([k, v]) => [k, v.shape]);
      assert.deepEqual(ours, official(ref.state_dict_shapes as Record<string, number[]>));
      let trainable = 0;
      for (const { shape, kind } of torchParamShapes(arch).values()) {
        if (!kind.includes("running")) trainable += shape.reduce((a, b) => a * b, 1);
      }
      assert.equal(trainable, ref.params_encoder_decoder);
    }
  });

  it("rejects a bad width with ERR_MODEL_ARGUMENT", () => {
    assert.throws(() => torchParamShapes({ kind: "unet2d", inChannels: 1, numClasses: 4, width: 0 }), {
      code: "ERR_MODEL_ARGUMENT",
    });
  });
});
