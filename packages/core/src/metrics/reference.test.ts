import assert from "node:assert/strict";
import { describe, it } from "node:test";
import evalRef from "../../test/fixtures/eval.json" with { type: "json" };
import ref from "../../test/fixtures/metrics.json" with { type: "json" };
import { assertClose, u8 } from "../../test/fixtures.ts";
import { asd } from "./asd.ts";
import { assd } from "./assd.ts";
import { dice } from "./dice.ts";
import { evaluateBinary } from "./evaluate-binary.ts";
import { evaluateVolume } from "./evaluate-volume.ts";
import { hausdorff } from "./hausdorff.ts";
import { hd95 } from "./hd95.ts";
import { jaccard } from "./jaccard.ts";
import { officialMetricsAcdc, officialMetricsLa, officialMetricsVal2d } from "./official-metrics.ts";

const TOL = { rtol: 1e-9, atol: 1e-12 };

describe("metrics vs medpy reference vectors (metrics.json, to 1e-9)", () => {
  for (const c of ref.cases) {
    const pred = u8(c.pred);
    const gt = u8(c.gt);
    const shape = c.pred.shape;
    const m = c.medpy;
    it(`${c.name}: each metric on its own`, () => {
      assertClose(dice(pred, gt, shape), m.dc, { ...TOL, what: "dc" });
      assertClose(jaccard(pred, gt, shape), m.jc, { ...TOL, what: "jc" });
      assertClose(hd95(pred, gt, shape), m.hd95, { ...TOL, what: "hd95" });
      assertClose(hausdorff(pred, gt, shape), m.hd, { ...TOL, what: "hd" });
      assertClose(asd(pred, gt, shape), m.asd_pred_to_gt, { ...TOL, what: "asd pred->gt" });
      assertClose(asd(gt, pred, shape), m.asd_gt_to_pred, { ...TOL, what: "asd gt->pred" });
      assertClose(assd(pred, gt, shape), m.assd, { ...TOL, what: "assd" });
    });
    it(`${c.name}: evaluateBinary computes them all at once, both directions`, () => {
      const all = evaluateBinary(pred, gt, shape);
      assertClose(
        [all.dice, all.jaccard, all.hd95, all.hausdorff, all.asd, all.assd],
        [m.dc, m.jc, m.hd95, m.hd, m.asd_pred_to_gt, m.assd],
        TOL,
      );
      const back = evaluateBinary(gt, pred, shape);
      assertClose(
        [back.dice, back.jaccard, back.hd95, back.hausdorff, back.asd, back.assd],
        [m.dc, m.jc, m.hd95, m.hd, m.asd_gt_to_pred, m.assd],
        TOL,
      );
    });
    it(`${c.name}: the three official wrapper tuples`, () => {
      assertClose(officialMetricsLa(pred, gt, shape), c.official_test_3d_patch_calculate_metric_percase, TOL);
      assertClose(officialMetricsAcdc(pred, gt, shape), c.official_test_ACDC_calculate_metric_percase, TOL);
      assertClose(officialMetricsVal2d(pred, gt, shape), c.official_val_2d_calculate_metric_percase, TOL);
    });
  }

  it("empty prediction: official wrappers return zeros", () => {
    const c = ref.cases[0];
    const empty = new Uint8Array(c.pred.data.length);
    const gt = u8(c.gt);
    assert.deepEqual(officialMetricsVal2d(empty, gt, c.pred.shape), ref.val_2d_empty_prediction_returns);
    assert.deepEqual(officialMetricsLa(empty, gt, c.pred.shape), [0, 0, 0, 0]);
    assert.deepEqual(officialMetricsAcdc(empty, gt, c.pred.shape), [0, 0, 0, 0]);
  });
});

describe("ACDC per-volume evaluation (eval.json, to 1e-9)", () => {
  const v = evalRef.acdc_test_single_volume;
  const pred = u8(v.prediction);
  const label = u8(v.label);
  const shape = v.prediction.shape;
  const expected = [
    v.metrics_class1_dice_jc_hd95_asd,
    v.metrics_class2_dice_jc_hd95_asd,
    v.metrics_class3_dice_jc_hd95_asd,
  ];

  it("test_single_volume: per-class (dice, jc, hd95, asd)", () => {
    const r = evaluateVolume(pred, label, shape, {
      classes: 4,
      emptyConvention: "official",
      metrics: ["dice", "jaccard", "hd95", "asd"],
    });
    assert.deepEqual(
      r.perClass.map((c) => c.class),
      [1, 2, 3],
    );
    r.perClass.forEach((c, i) => {
      assertClose([c.dice, c.jaccard, c.hd95, c.asd], expected[i], { ...TOL, what: `class ${c.class}` });
    });
    const mean = (k: number) => expected.reduce((s, e) => s + e[k], 0) / 3;
    assertClose([r.mean.dice, r.mean.jaccard, r.mean.hd95, r.mean.asd], [mean(0), mean(1), mean(2), mean(3)], TOL);
  });

  it("test_single_volume: officialMetricsAcdc per class on (pred == c, label == c)", () => {
    for (let c = 1; c <= 3; c++) {
      const p = pred.map((x) => (x === c ? 1 : 0));
      const g = label.map((x) => (x === c ? 1 : 0));
      assertClose(officialMetricsAcdc(p, g, shape), expected[c - 1], { ...TOL, what: `class ${c}` });
    }
  });

  it("val_2d test_single_volume: per-class (dice, hd95)", () => {
    const r = evaluateVolume(pred, label, shape, {
      classes: 4,
      emptyConvention: "official",
      metrics: ["dice", "hd95"],
    });
    assertClose(
      r.perClass.flatMap((c) => [c.dice, c.hd95]),
      evalRef.acdc_val_2d_test_single_volume.metrics_per_class_dice_hd95.flat(),
      TOL,
    );
    assert.deepEqual(Object.keys(r.mean).sort(), ["dice", "hd95"]);
  });
});
