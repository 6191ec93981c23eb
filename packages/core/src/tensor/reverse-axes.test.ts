import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { reverseAxes } from "./reverse-axes.ts";

describe("reverseAxes", () => {
  it("transposes a 2x3 matrix (hand table) and keeps the array kind", () => {
    const r = reverseAxes(Uint8Array.of(0, 1, 2, 3, 4, 5), [2, 3]);
    assert.deepEqual(r.shape, [3, 2]);
    assert.ok(r.data instanceof Uint8Array);
    assert.deepEqual([...r.data], [0, 3, 1, 4, 2, 5]);
  });

  it("maps out[k, j, i] = in[i, j, k] in 3D, and twice is the identity", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), (shape) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: n }, (_, i) => i);
        const once = reverseAxes(data, shape);
        if (shape.length === 3) {
          const [x, y, z] = shape;
          for (let i = 0; i < x; i++)
            for (let j = 0; j < y; j++)
              for (let k = 0; k < z; k++) assert.equal(once.data[(k * y + j) * x + i], data[(i * y + j) * z + k]);
        }
        const twice = reverseAxes(once.data, once.shape);
        assert.deepEqual(twice.shape, shape);
        assert.deepEqual([...twice.data], [...data]);
      }),
    );
  });

  it("rejects a length that does not fit the shape", () => {
    assert.throws(() => reverseAxes(new Float32Array(5), [2, 3]), { code: "ERR_SHAPE" });
  });
});
