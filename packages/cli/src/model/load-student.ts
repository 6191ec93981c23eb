import type { Checkpoint, SegmentationModel, TrainConfig } from "@bcpseg/trainer";
import { loadTrainer } from "./trainer-lib.ts";

/** A trained student rebuilt from a checkpoint: its config and a model holding its weights (dispose it). */
export interface LoadedStudent {
  readonly path: string;
  readonly config: TrainConfig;
  readonly checkpoint: Checkpoint;
  readonly model: SegmentationModel<{ inChannels: number; numClasses: number; width: number }>;
  readonly backend: string;
}

/**
 * Loads a checkpoint file and builds its network on the tfjs `backend` (default the checkpoint config's; a run trained
 * on onnxruntime, `ort-cpu` or `ort-webgpu`, is rebuilt on the best tfjs backend: its checkpoints hold the same
 * torch-layout weights).
 */
export async function loadStudent(path: string, backend?: string): Promise<LoadedStudent> {
  const t = await loadTrainer();
  const checkpoint = await t.loadCheckpoint(path);
  const config = checkpoint.meta.config;
  const active = await t.useBackend(backend ?? (config.backend.startsWith("ort-") ? "auto" : config.backend));
  // Every weight (BatchNorm statistics included) comes from the checkpoint, so the init seed is irrelevant.
  const model = t.createModel(config, 0) as LoadedStudent["model"];
  model.setWeights(checkpoint.student);
  return { path, config, checkpoint, model, backend: active };
}
