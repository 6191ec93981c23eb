import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import lcc from "../../test/fixtures/lcc.json" with { type: "json" };
import { assertExact, f32 } from "../../test/fixtures.ts";
import { argmaxChannels, softmax } from "../tensor/softmax.ts";
import { largestComponentBatch, largestComponentPerClassBatch, pseudoLabels } from "./index.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("pseudoLabels", () => {
  it("matches the official get_ACDC_masks with nms 0 and 1 (argmax ties → lowest class)", () => {
    const { logits, nms0, nms1 } = lcc.acdc_get_masks;
    assertExact(pseudoLabels(f32(logits), logits.shape, { largestComponent: false }), nms0.data);
    assertExact(pseudoLabels(f32(logits), logits.shape), nms1.data);
  });

  it("matches the official get_cut_mask with nms 0 and 1 (p1 = 0.5 exactly → foreground)", () => {
    const { logits, nms0, nms1 } = lcc.la_get_cut_mask;
    const opts = { mode: "threshold" } as const;
    assertExact(pseudoLabels(f32(logits), logits.shape, { ...opts, largestComponent: false }), nms0.data);
    assertExact(pseudoLabels(f32(logits), logits.shape, opts), nms1.data);
  });

  it("thresholds channel 1 with ≥ and breaks argmax ties low (hand table)", () => {
    // [1, 2, 1, 4]: logit differences 0 (p1 = 0.5), +1, -1, 0.
    const logits = Float32Array.from([0, 0, 1, 3, 0, 1, 0, 3]);
    const threshold = pseudoLabels(logits, [1, 2, 1, 4], { mode: "threshold", largestComponent: false });
    assertExact(threshold, [1, 1, 0, 1]);
    assertExact(pseudoLabels(logits, [1, 2, 1, 4], { largestComponent: false }), [0, 1, 0, 0]);
    const high = pseudoLabels(logits, [1, 2, 1, 4], { mode: "threshold", threshold: 0.7, largestComponent: false });
    assertExact(high, [0, 1, 0, 0]);
    // With cleaning the pair (0, 1) wins over the single pixel 3.
    assertExact(pseudoLabels(logits, [1, 2, 1, 4], { mode: "threshold" }), [1, 1, 0, 0]);
  });

  it("equals argmax of softmax, then per-class cleaning (property)", () => {
    const cases = fc
      .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 5 }))
      .chain(([n, c, h]) => {
        const len = n * c * h * 4;
        const logit = fc.integer({ min: -3, max: 3 }).map((v) => v / 2);
        return fc.array(logit, { minLength: len, maxLength: len }).map((v) => ({ n, c, h, x: Float32Array.from(v) }));
      });
    fc.assert(
      fc.property(cases, ({ n, c, h, x }) => {
        const shape = [n, c, h, 4];
        const hard = argmaxChannels(softmax(x, shape), shape);
        assertExact(pseudoLabels(x, shape, { largestComponent: false }), hard);
        assertExact(
          pseudoLabels(x, shape, { connectivity: 4 }),
          largestComponentPerClassBatch(hard, [n, h, 4], { connectivity: 4 }),
        );
        if (c === 2) {
          const fg = Int32Array.from({ length: n * h * 4 }, (_, i) => {
            const b = Math.floor(i / (h * 4));
            return softmax(x, shape)[(b * 2 + 1) * h * 4 + (i % (h * 4))] >= 0.5 ? 1 : 0;
          });
          assertExact(pseudoLabels(x, shape, { mode: "threshold" }), largestComponentBatch(fg, [n, h, 4]));
        }
      }),
    );
  });

  it("rejects bad input with coded errors", () => {
    const x = new Float32Array(8);
    assert.throws(() => pseudoLabels(Int32Array.from(x) as unknown as Float32Array, [1, 2, 2, 2]), code("ERR_DTYPE"));
    assert.throws(() => pseudoLabels(x, [2, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => pseudoLabels(x, [1, 1, 2, 4], { mode: "threshold" }), code("ERR_SHAPE"));
    assert.throws(() => pseudoLabels(x, [1, 2, 2, 2], { mode: "soft" as "argmax" }), code("ERR_ARGUMENT"));
    assert.throws(() => pseudoLabels(x, [1, 2, 2, 2], { threshold: 1.5 }), code("ERR_ARGUMENT"));
    assert.throws(() => pseudoLabels(x, [1, 2, 2, 2], { connectivity: 26 }), code("ERR_ARGUMENT"));
    assert.throws(
      () => pseudoLabels(x, [1, 2, 2, 2], { largestComponent: 1 as unknown as boolean }),
      code("ERR_ARGUMENT"),
    );
  });
});
