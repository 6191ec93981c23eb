import type { Rng } from "@bcpseg/core";

/** What one forward pass needs besides the weights: the mode and the dropout randomness. */
export interface ForwardContext {
  /** true: BatchNorm on batch statistics and dropout on (PyTorch `model.train()`); false: running stats, no dropout. */
  readonly training: boolean;
  /** In training, whether BatchNorm running statistics are updated (PyTorch always does). */
  readonly updateStats: boolean;
  /** Source of the dropout masks; used only in training. */
  readonly rng: Rng;
}
