import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { crossEntropy } from "./cross-entropy.ts";
import { diceLoss } from "./dice-loss.ts";
import { mixLoss } from "./mix-loss.ts";
import { supervisedLoss } from "./supervised-loss.ts";
import type { DiceForm } from "./types.ts";

interface Case {
  shape: number[];
  logits: Float64Array;
  target: Int32Array;
  target2: Int32Array;
  mask: Uint8Array;
}

// Small random [N, C, ...spatial] problems (2D or 3D), logits in [-3, 3].
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 2, max: 4 }),
    spatial: fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    ),
  })
  .chain(({ n, c, spatial }) => {
    const s = spatial.reduce((a, b) => a * b, 1);
    const labels = fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n * s, maxLength: n * s });
    return fc.record({
      shape: fc.constant([n, c, ...spatial]),
      logits: fc
        .array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n * c * s, maxLength: n * c * s })
        .map((a) => Float64Array.from(a)),
      target: labels.map((a) => Int32Array.from(a)),
      target2: labels.map((a) => Int32Array.from(a)),
      mask: fc
        .array(fc.integer({ min: 0, max: 1 }), { minLength: n * s, maxLength: n * s })
        .map((a) => Uint8Array.from(a)),
    });
  });

const forms: DiceForm[] = ["batch-squared", "per-sample"];

/** Central differences of f at x, in float64, compared with the analytic gradient. */
function assertGradient(f: (x: Float64Array) => number, x: Float64Array, grad: Float64Array, what: string): void {
  const h = 1e-5;
  for (let j = 0; j < x.length; j++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[j] += h;
    xm[j] -= h;
    const fd = (f(xp) - f(xm)) / (2 * h);
    const ok = Math.abs(grad[j] - fd) <= 1e-6 + 1e-5 * Math.abs(fd);
    assert.ok(ok, `${what}: grad[${j}] = ${grad[j]}, finite difference ${fd}`);
  }
}

describe("loss properties", () => {
  it("diceLoss gradients match central finite differences (both forms, masks, legacy)", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...forms), fc.boolean(), fc.boolean(), (k, form, masked, legacy) => {
        const opt = {
          form,
          mask: masked ? k.mask : undefined,
          legacyMaskBug: legacy && form === "batch-squared",
        };
        const r = diceLoss(k.logits, k.target, k.shape, opt);
        assertGradient((x) => diceLoss(x, k.target, k.shape, opt).value, k.logits, r.grad, `dice ${form}`);
      }),
      { numRuns: 60 },
    );
  });

  it("crossEntropy gradients match central finite differences (with and without mask)", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), (k, masked) => {
        const opt = { mask: masked ? k.mask : undefined };
        const r = crossEntropy(k.logits, k.target, k.shape, opt);
        assertGradient((x) => crossEntropy(x, k.target, k.shape, opt).value, k.logits, r.grad, "ce");
      }),
      { numRuns: 40 },
    );
  });

  it("mixLoss and supervisedLoss gradients match central finite differences", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...forms), fc.boolean(), fc.boolean(), (k, form, unl, legacy) => {
        const opt = { form, frameIsUnlabeled: unl, legacyMaskBug: legacy && form === "batch-squared" };
        const r = mixLoss(k.logits, k.target, k.target2, k.mask, k.shape, opt);
        const f = (x: Float64Array) => mixLoss(x, k.target, k.target2, k.mask, k.shape, opt).value;
        assertGradient(f, k.logits, r.grad, `mix ${form}`);
        const s = supervisedLoss(k.logits, k.target, k.shape, { form });
        assertGradient((x) => supervisedLoss(x, k.target, k.shape, { form }).value, k.logits, s.grad, "sup");
      }),
      { numRuns: 40 },
    );
  });

  it("an all-zero mask gives 0 and a zero gradient", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...forms), (k, form) => {
        const zero = new Uint8Array(k.mask.length);
        for (const r of [
          diceLoss(k.logits, k.target, k.shape, { form, mask: zero }),
          crossEntropy(k.logits, k.target, k.shape, { mask: zero }),
        ]) {
          assert.equal(r.value, 0);
          assert.ok(r.grad.every((g) => g === 0));
        }
      }),
      { numRuns: 30 },
    );
  });

  it("very confident correct logits drive Dice and CE to ~0", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...forms), (k, form) => {
        const [n, c] = k.shape;
        const s = k.target.length / n;
        const logits = new Float64Array(k.logits.length);
        for (let b = 0; b < n; b++) for (let i = 0; i < s; i++) logits[(b * c + k.target[b * s + i]) * s + i] = 50;
        const r = supervisedLoss(logits, k.target, k.shape, { form });
        assert.ok(r.dice >= 0 && r.dice < 1e-9, `dice ${r.dice}`);
        assert.ok(r.ce >= 0 && r.ce < 1e-9, `ce ${r.ce}`);
        assert.ok(diceLoss(k.logits, k.target, k.shape, { form }).value > r.dice);
      }),
      { numRuns: 30 },
    );
  });

  it("mixLoss with an all-ones mask equals the frame-only weighted terms", () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.constantFrom(...forms),
        fc.boolean(),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (k, form, unl, w) => {
          const ones = new Uint8Array(k.mask.length).fill(1);
          const r = mixLoss(k.logits, k.target, k.target2, ones, k.shape, {
            form,
            frameIsUnlabeled: unl,
            unlabeledWeight: w,
          });
          const fw = unl ? w : 1;
          const dice = diceLoss(k.logits, k.target, k.shape, { form });
          const ce = crossEntropy(k.logits, k.target, k.shape);
          assert.equal(r.box.dice, 0);
          assert.equal(r.box.ce, 0);
          assert.ok(Math.abs(r.value - (fw * (dice.value + ce.value)) / 2) <= 1e-12 * (1 + Math.abs(r.value)));
          for (let j = 0; j < r.grad.length; j++) {
            const g = (fw * (dice.grad[j] + ce.grad[j])) / 2;
            assert.ok(Math.abs(r.grad[j] - g) <= 1e-12 * (1 + Math.abs(g)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never mutates its inputs", () => {
    fc.assert(
      fc.property(caseArb, (k) => {
        const copy = [Float64Array.from(k.logits), Int32Array.from(k.target), Uint8Array.from(k.mask)];
        mixLoss(k.logits, k.target, k.target2, k.mask, k.shape, { form: "batch-squared", legacyMaskBug: true });
        diceLoss(k.logits, k.target, k.shape, { form: "per-sample", mask: k.mask });
        assert.deepEqual([k.logits, k.target, k.mask], copy);
      }),
      { numRuns: 20 },
    );
  });
});
