// The trainer and edge API are heavy (tfjs, onnxruntime): commands load them on first use so `--help` stays fast.
export type TrainerLib = typeof import("@bcpseg/trainer");
export type EdgeLib = typeof import("@bcpseg/edge-api");

let trainer: Promise<TrainerLib> | undefined;
let edge: Promise<EdgeLib> | undefined;

/** @bcpseg/trainer, imported once. */
export function loadTrainer(): Promise<TrainerLib> {
  trainer ??= import("@bcpseg/trainer");
  return trainer;
}

/** @bcpseg/edge-api, imported once. */
export function loadEdge(): Promise<EdgeLib> {
  edge ??= import("@bcpseg/edge-api");
  return edge;
}
