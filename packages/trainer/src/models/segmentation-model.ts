import { ArgumentError, DtypeError, type NumArray, type Rng } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import type { ForwardContext } from "../nn/forward-context.ts";
import { registerTrainingGradients } from "../nn/gradients/register-training-gradients.ts";
import type { NamedWeights, ParamStore } from "../nn/param-store.ts";

/** How to run one forward pass. */
export interface ApplyOptions {
  /** true = PyTorch `model.train()`: BatchNorm batch statistics (running stats updated) and dropout on. */
  readonly training: boolean;
  /** Dropout randomness for this pass (advanced by it); defaults to the model's own stream, seeded at creation. */
  readonly rng?: Rng;
  /** In training, update BatchNorm running statistics (default true, as PyTorch). */
  readonly updateStats?: boolean;
}

/**
 * A functional segmentation network over named variables (PyTorch state-dict names, tfjs channels-last layouts).
 * `apply` maps a channels-last float32 batch to channels-last logits; the caller owns the result.
 */
export interface SegmentationModel<Config> {
  readonly arch: "unet2d" | "vnet3d";
  readonly config: Readonly<Config>;
  readonly params: ParamStore;
  /** Trainable parameters in state-dict order (pass to tf.variableGrads / an optimizer). */
  readonly trainableVariables: readonly tf.Variable[];
  /** BatchNorm running_mean, running_var, num_batches_tracked in state-dict order. */
  readonly statVariables: readonly tf.Variable[];
  apply(input: tf.Tensor, options: ApplyOptions): tf.Tensor;
  /** Number of trainable scalars. */
  paramCount(): number;
  getWeights(): NamedWeights;
  setWeights(weights: Readonly<Record<string, NumArray>>): void;
  dispose(): void;
}

/** Wires a parameter store and a forward function into a SegmentationModel (shared by both networks). */
export function buildModel<Config>(
  arch: "unet2d" | "vnet3d",
  config: Config,
  store: ParamStore,
  dropoutRng: Rng,
  checkInput: (input: tf.Tensor) => void,
  forward: (x: tf.Tensor, ctx: ForwardContext) => tf.Tensor,
): SegmentationModel<Config> {
  const fn = `${arch}.apply`;
  registerTrainingGradients(); // tfjs-core on Node ships without gradients; idempotent
  const trainableVariables = store.trainable();
  const statVariables = store.stats();
  return {
    arch,
    config,
    params: store,
    trainableVariables,
    statVariables,
    apply(input, options) {
      if (!(input instanceof tf.Tensor)) throw new ArgumentError(fn, "input", "must be a tf.Tensor");
      if (input.dtype !== "float32") throw new DtypeError(fn, "input", `must be float32, got ${input.dtype}`);
      if (typeof options?.training !== "boolean") throw new ArgumentError(fn, "options.training", "must be a boolean");
      checkInput(input);
      const ctx: ForwardContext = {
        training: options.training,
        updateStats: options.updateStats ?? true,
        rng: options.rng ?? dropoutRng,
      };
      return tf.tidy(() => forward(input, ctx));
    },
    paramCount: () => store.paramCount(),
    getWeights: () => store.getWeights(),
    setWeights: (weights) => store.setWeights(weights),
    dispose: () => store.dispose(),
  };
}
