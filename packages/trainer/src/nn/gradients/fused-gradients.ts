import * as tf from "@tensorflow/tfjs-core";
import { BCP_BATCH_NORM_TRAIN, BCP_BATCH_NORM_TRAIN_GRAD } from "../../kernels/batch-norm-train.ts";

type T = tf.Tensor;

/** Gradients of bcpseg's fused kernels: BcpBatchNormTrain's three come from one BcpBatchNormTrainGrad call. */
export const fusedGradients: tf.GradConfig[] = [
  {
    kernelName: BCP_BATCH_NORM_TRAIN,
    inputsToSave: ["x", "gamma"],
    outputsToSave: [false, true, true],
    gradFunc: (dys, [x, gamma, mean, variance], attrs) => {
      const [dy, dMean, dVariance] = dys as T[];
      const inputs = { dy, x, gamma, mean, variance, dMean, dVariance };
      const [dx, dGamma, dBeta] = tf.engine().runKernel(BCP_BATCH_NORM_TRAIN_GRAD, inputs, attrs) as T[];
      return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
    },
  },
];
