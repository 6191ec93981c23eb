import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import ema from "../../test/fixtures/ema.json" with { type: "json" };
import { assertClose, assertExact, type RefArray } from "../../test/fixtures.ts";
import type { NumArray } from "../tensor/types.ts";
import { emaUpdate, type StateDict } from "./ema-update.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

/** A fixture state dict: float32 entries, int64 counters as Int32Array. */
function stateOf(ref: Record<string, RefArray>): Record<string, NumArray> {
  const out: Record<string, NumArray> = {};
  for (const [k, v] of Object.entries(ref))
    out[k] = v.dtype === "int64" ? Int32Array.from(v.data) : Float32Array.from(v.data);
  return out;
}

const PARAMS = ["fc.weight", "fc.bias", "bn.weight", "bn.bias"];

/** Replays the fixture's three steps: student = teacher0 + 1 (counter 7), parameters + 0.5 after each update. */
function replay(variant: keyof typeof ema.results, scope: "all" | "parameters", exact: boolean) {
  const res = ema.results[variant];
  let teacher: StateDict = stateOf(res.teacher_before as Record<string, RefArray>);
  const student: Record<string, NumArray> = {};
  for (const [k, v] of Object.entries(teacher)) {
    student[k] =
      v instanceof Int32Array ? Int32Array.of(7) : Float32Array.from(v, (x) => x + ema.student_initial_offset);
  }
  res.teacher_after_each_step.forEach((expected, step) => {
    teacher = emaUpdate(teacher, student, ema.alpha, { scope });
    for (const [k, ref] of Object.entries(expected as Record<string, RefArray>)) {
      if (exact || ref.dtype === "int64") assertExact(teacher[k], Float32Array.from(ref.data), `step ${step} ${k}`);
      else assertClose(teacher[k], ref.data, { rtol: 1e-5, what: `step ${step} ${k}` });
    }
    for (const k of PARAMS) {
      student[k] = Float32Array.from(student[k], (x) => x + ema.student_param_increment_per_step);
    }
  });
}

describe("emaUpdate", () => {
  it("hand table: 0.9 * teacher + 0.1 * student", () => {
    const out = emaUpdate({ w: Float64Array.of(1, 10) }, { w: Float64Array.of(11, 0) }, 0.9);
    assertClose(out.w, [2, 9], { rtol: 1e-15 });
  });

  it("ACDC variant (scope all) matches ema.json bit for bit over three steps", () => {
    replay("acdc_update_model_ema_state_dict", "all", true);
  });

  it("LA variant (scope parameters) matches ema.json over three steps", () => {
    replay("la_update_ema_variables_parameters", "parameters", false);
  });

  it("truncates averaged integer counters toward zero; parameters scope copies them", () => {
    const t = { "bn.num_batches_tracked": Int32Array.of(5), w: Float32Array.of(0) };
    const s = { "bn.num_batches_tracked": Int32Array.of(7), w: Float32Array.of(1) };
    assertExact(emaUpdate(t, s, 0.99, { scope: "all" })["bn.num_batches_tracked"], [5]); // 5.02 -> 5
    assertExact(emaUpdate(t, s, 0.5, { scope: "all" })["bn.num_batches_tracked"], [6]);
    assertExact(
      emaUpdate(t, { ...s, "bn.num_batches_tracked": Int32Array.of(-8) }, 0.5, { scope: "all" })[
        "bn.num_batches_tracked"
      ],
      [-1],
    ); // -1.5 -> -1
    const p = emaUpdate(t, s, 0.5);
    assertExact(p["bn.num_batches_tracked"], [5]);
    assert.notEqual(p["bn.num_batches_tracked"], t["bn.num_batches_tracked"]); // a copy, not the input
  });

  it("statistics option: key list or predicate; default knows Keras/tfjs names", () => {
    const t = { a: Float32Array.of(0), b: Float32Array.of(0), "bn/moving_variance": Float32Array.of(0) };
    const s = { a: Float32Array.of(1), b: Float32Array.of(1), "bn/moving_variance": Float32Array.of(1) };
    const byList = emaUpdate(t, s, 0.5, { statistics: ["a"] });
    assert.deepEqual([byList.a[0], byList.b[0], byList["bn/moving_variance"][0]], [0, 0.5, 0.5]);
    const byFn = emaUpdate(t, s, 0.5, { statistics: (k) => k === "b" });
    assert.deepEqual([byFn.a[0], byFn.b[0]], [0.5, 0]);
    assert.equal(emaUpdate(t, s, 0.5)["bn/moving_variance"][0], 0);
  });

  it("writes into out (may be the teacher itself) and never mutates inputs otherwise", () => {
    const t = { w: Float32Array.of(1, 2) };
    const s = { w: Float32Array.of(3, 4) };
    const fresh = emaUpdate(t, s, 0.5);
    assertExact(t.w, [1, 2]);
    assertExact(s.w, [3, 4]);
    assertExact(fresh.w, [2, 3]);
    const out = { w: new Float32Array(2) };
    assert.equal(emaUpdate(t, s, 0.5, { out }), out);
    assertExact(out.w, [2, 3]);
    emaUpdate(t, s, 0.5, { out: t });
    assertExact(t.w, [2, 3]);
  });

  it("property: decay 1 keeps the teacher, decay 0 takes the student, result lies between", () => {
    fc.assert(
      fc.property(
        fc.float64Array({ minLength: 1, maxLength: 8, noNaN: true, min: -1e6, max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, decay) => {
          const t = { w };
          const s = { w: w.map((x) => x * 2 + 1) };
          assertExact(emaUpdate(t, s, 1, { scope: "all" }).w, w);
          assertExact(emaUpdate(t, s, 0, { scope: "all" }).w, s.w);
          const m = emaUpdate(t, s, decay).w;
          for (let i = 0; i < w.length; i++) {
            const lo = Math.min(w[i], s.w[i]);
            const hi = Math.max(w[i], s.w[i]);
            const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
            assert.ok(m[i] >= lo - eps && m[i] <= hi + eps);
          }
        },
      ),
    );
  });

  it("errors", () => {
    const t = { w: Float32Array.of(1, 2) };
    assert.throws(() => emaUpdate(t, t, 1.5), code("ERR_ARGUMENT"));
    assert.throws(() => emaUpdate(t, t, Number.NaN), code("ERR_ARGUMENT"));
    assert.throws(() => emaUpdate(t, { v: Float32Array.of(1, 2) }, 0.9), code("ERR_ARGUMENT"));
    assert.throws(() => emaUpdate(t, { w: Float32Array.of(1) }, 0.9), code("ERR_SHAPE"));
    assert.throws(() => emaUpdate(t, { w: [1, 2] as unknown as Float32Array }, 0.9), code("ERR_DTYPE"));
    assert.throws(() => emaUpdate(t, t, 0.9, { out: { w: new Float64Array(2) } }), code("ERR_DTYPE"));
    assert.throws(() => emaUpdate(t, t, 0.9, { out: {} }), code("ERR_ARGUMENT"));
    // @ts-expect-error: testing a bad value
    assert.throws(() => emaUpdate(t, t, 0.9, { scope: "buffers" }), code("ERR_ARGUMENT"));
  });
});
