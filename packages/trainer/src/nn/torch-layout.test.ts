import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromTorchLayout, fromTorchShape, toTorchLayout, toTorchShape } from "./torch-layout.ts";

describe("toTorchLayout / fromTorchLayout", () => {
  it("maps conv2d [kh, kw, in, out] to [out, in, kh, kw] (hand table)", () => {
    // tfjs weight [1, 2, 2, 3]: value = 100·kw + 10·in + out
    const shape = [1, 2, 2, 3];
    const data = new Float32Array(12);
    for (let kw = 0; kw < 2; kw++)
      for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) data[kw * 6 + i * 3 + o] = 100 * kw + 10 * i + o;
    const t = toTorchLayout(data, shape);
    assert.deepEqual(t.shape, [3, 2, 1, 2]);
    // torch [o, i, 0, kw] in row-major order
    const expected: number[] = [];
    for (let o = 0; o < 3; o++)
      for (let i = 0; i < 2; i++) for (let kw = 0; kw < 2; kw++) expected.push(100 * kw + 10 * i + o);
    assert.deepEqual([...t.data], expected);
    assert.ok(t.data instanceof Float32Array);
  });

  it("maps shapes of conv3d and conv-transpose kernels", () => {
    assert.deepEqual(toTorchShape([3, 3, 3, 16, 32]), [32, 16, 3, 3, 3]);
    assert.deepEqual(fromTorchShape([32, 16, 3, 3, 3]), [3, 3, 3, 16, 32]);
    // ConvTranspose3d(256 → 128): torch [in, out, k, k, k], tfjs [k, k, k, out, in]
    assert.deepEqual(fromTorchShape([256, 128, 2, 2, 2]), [2, 2, 2, 128, 256]);
    assert.deepEqual(toTorchShape([16]), [16]);
    assert.deepEqual(toTorchShape([]), []);
  });

  it("leaves vectors and scalars unchanged and never aliases the input", () => {
    const v = Float32Array.of(1, 2, 3);
    const t = toTorchLayout(v, [3]);
    assert.deepEqual([...t.data], [1, 2, 3]);
    assert.notEqual(t.data, v);
    assert.deepEqual([...fromTorchLayout(Int32Array.of(7), []).data], [7]);
  });

  it("round-trips any weight (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 }), (shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: n }, (_, i) => i);
        const t = toTorchLayout(data, shape);
        assert.deepEqual(t.shape, toTorchShape(shape));
        const back = fromTorchLayout(t.data, t.shape);
        assert.deepEqual(back.shape, shape);
        assert.deepEqual([...back.data], [...data]);
      }),
    );
  });

  it("rejects a buffer that does not fit the shape", () => {
    assert.throws(() => toTorchLayout(new Float32Array(5), [2, 3]), { code: "ERR_SHAPE" });
    assert.throws(() => fromTorchLayout(new Float32Array(6), [2, -3]), { code: "ERR_SHAPE" });
  });
});
