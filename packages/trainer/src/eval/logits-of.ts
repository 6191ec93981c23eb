import * as tf from "@tensorflow/tfjs-core";
import type { EvalModel, LogitsFn } from "./types.ts";

/** The logits function of an evaluation model: a tfjs model runs in eval mode and is read back channels-first. */
export function logitsOf(model: EvalModel): LogitsFn {
  if ("logits" in model) return model.logits;
  return (input, shape) =>
    tf.tidy(() => {
      const [n, c, ...spatial] = shape;
      const x = tf.tensor(input, [n, ...spatial, c]);
      const y = model.apply(x, { training: false });
      return tf.transpose(y, [0, y.rank - 1, ...spatial.map((_, i) => i + 1)]).dataSync() as Float32Array;
    });
}
