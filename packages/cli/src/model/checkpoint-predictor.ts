import { contractForConfig, type TrainConfig } from "@bcpseg/trainer";
import { type ContractModel, contractPredictor } from "./contract-predictor.ts";
import { loadStudent } from "./load-student.ts";
import type { Predictor } from "./predictor.ts";
import { loadTrainer } from "./trainer-lib.ts";

/**
 * A training checkpoint as a {@link ContractModel}: the contract its export would carry (contractForConfig) and
 * the network in eval mode on tfjs, giving logits [N, C, ...] (8 slices a run; eval-mode BatchNorm makes the
 * batch result-neutral).
 */
export async function checkpointModel(
  path: string,
  backend?: string,
): Promise<ContractModel & { config: TrainConfig }> {
  const t = await loadTrainer();
  const student = await loadStudent(path, backend);
  const logits = t.logitsOf(student.model);
  return {
    contract: contractForConfig(student.config),
    config: student.config,
    run: async (input, shape) => logits(input, shape),
    output: "logits",
    batch: 8,
    dispose: async () => student.model.dispose(),
  };
}

/** A checkpoint (or a run folder's best one) run on tfjs through core's segmentImage, as `serve` would run its export. */
export async function checkpointPredictor(path: string, backend?: string): Promise<Predictor> {
  return contractPredictor(await checkpointModel(path, backend));
}
