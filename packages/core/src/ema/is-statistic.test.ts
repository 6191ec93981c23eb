import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isStatistic } from "./is-statistic.ts";

describe("isStatistic", () => {
  it("hand table: PyTorch and Keras/tfjs buffer names are statistics, weights are not", () => {
    const cases: [string, boolean][] = [
      ["bn.running_mean", true],
      ["bn.running_var", true],
      ["bn.num_batches_tracked", true],
      ["batch_normalization/moving_mean", true],
      ["batch_normalization/moving_variance", true],
      ["bn.weight", false],
      ["bn.bias", false],
      ["conv2d/kernel", false],
      ["batch_normalization/gamma", false],
    ];
    for (const [key, expected] of cases) assert.equal(isStatistic(key), expected, key);
  });
});
