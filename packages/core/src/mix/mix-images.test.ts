import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import m2 from "../../test/fixtures/mixing_2d.json" with { type: "json" };
import m3 from "../../test/fixtures/mixing_3d.json" with { type: "json" };
import { assertExact, f32, u8 } from "../../test/fixtures.ts";
import { mixImages } from "./mix-images.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("mixImages", () => {
  it("hand table: N=2, C=1, 2x2, box at (0, 1)", () => {
    const frame = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const box = Float32Array.of(-1, -2, -3, -4, -5, -6, -7, -8);
    const mask = Uint8Array.of(1, 0, 1, 1);
    assertExact(mixImages(frame, box, mask, [2, 1, 2, 2]), [1, -2, 3, 4, 5, -6, 7, 8]);
  });

  it("broadcasts the mask over channels (Float64 in, Float32 out)", () => {
    const frame = new Float64Array([1, 2, 3, 4]);
    const box = new Float64Array([9, 8, 7, 6]);
    const out = mixImages(frame, box, Uint8Array.of(0, 1), [1, 2, 1, 2]);
    assert.ok(out instanceof Float32Array);
    assertExact(out, [9, 2, 7, 4]);
  });

  it("matches the ACDC mixed inputs (mixing_2d.json)", () => {
    const { inputs, outputs } = m2.acdc_2d;
    const v = f32(inputs.volume_batch);
    const per = 144;
    const [img_a, img_b, uimg_a, uimg_b] = [0, 2, 4, 6].map((r) => v.subarray(r * per, (r + 2) * per));
    const M = u8(outputs.img_mask);
    const shape = [2, 1, 12, 12];
    assertExact(mixImages(uimg_a, img_a, M, shape), f32(outputs.net_input_unl), "net_input_unl");
    assertExact(mixImages(img_b, uimg_b, M, shape), f32(outputs.net_input_l), "net_input_l");
    assertExact(mixImages(img_a, img_b, M, shape), f32(outputs.pretrain.net_input), "pretrain net_input");
  });

  it("matches the LA mixed volumes (mixing_3d.json)", () => {
    const { inputs, outputs } = m3.la_3d;
    const v = f32(inputs.volume_batch);
    const per = 8 * 8 * 6;
    const [img_a, img_b, unimg_a, unimg_b] = [0, 2, 4, 6].map((r) => v.subarray(r * per, (r + 2) * per));
    const M = u8(outputs.img_mask);
    const shape = [2, 1, 8, 8, 6];
    assertExact(mixImages(img_a, unimg_a, M, shape), f32(outputs.mixl_img), "mixl_img");
    assertExact(mixImages(unimg_b, img_b, M, shape), f32(outputs.mixu_img), "mixu_img");
  });

  const arb = fc.integer({ min: 1, max: 3 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      a: fc.float32Array({ minLength: n * 2 * 6, maxLength: n * 2 * 6, noNaN: true, noDefaultInfinity: true }),
      b: fc.float32Array({ minLength: n * 2 * 6, maxLength: n * 2 * 6, noNaN: true, noDefaultInfinity: true }),
      m: fc.uint8Array({ min: 0, max: 1, minLength: 6, maxLength: 6 }),
    }),
  );

  it("property: all-ones mask is the identity, all-zeros gives the box operand", () => {
    fc.assert(
      fc.property(arb, ({ n, a, b }) => {
        const shape = [n, 2, 2, 3];
        assertExact(mixImages(a, b, new Uint8Array(6).fill(1), shape), a);
        assertExact(mixImages(a, b, new Uint8Array(6), shape), b);
      }),
    );
  });

  it("property: mix(a, b, M) + mix(b, a, M) = a + b", () => {
    fc.assert(
      fc.property(arb, ({ n, a, b, m }) => {
        const shape = [n, 2, 2, 3];
        const x = mixImages(a, b, m, shape);
        const y = mixImages(b, a, m, shape);
        for (let i = 0; i < a.length; i++) assert.equal(x[i] + y[i], a[i] + b[i]);
      }),
    );
  });

  it("does not mutate its inputs", () => {
    const a = Float32Array.of(1, 2);
    const b = Float32Array.of(3, 4);
    const out = mixImages(a, b, Uint8Array.of(1, 0), [1, 1, 1, 2]);
    out[0] = 99;
    assertExact(a, [1, 2]);
    assertExact(b, [3, 4]);
  });

  it("errors", () => {
    const a = new Float32Array(8);
    const m = new Uint8Array(4);
    assert.throws(() => mixImages(a, a, m, [2, 4]), code("ERR_SHAPE"));
    assert.throws(() => mixImages(a, a, m, [1, 1, 1, 2, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => mixImages(a, new Float32Array(7), m, [2, 1, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => mixImages(a, a, new Uint8Array(3), [2, 1, 2, 2]), code("ERR_SHAPE"));
    assert.throws(() => mixImages(new Int32Array(8) as never, a, m, [2, 1, 2, 2]), code("ERR_DTYPE"));
    assert.throws(() => mixImages(a, a, Uint8Array.of(0, 1, 3, 1), [2, 1, 2, 2]), code("ERR_RANGE"));
  });
});
