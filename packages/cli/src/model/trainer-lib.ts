// The trainer and edge API are heavy (tfjs, onnxruntime): commands load them on first use so `--help` stays fast.
export type TrainerLib = typeof import("@bcpseg/trainer");
export type EdgeLib = typeof import("@bcpseg/edge-api");
export type EdgeNodeLib = typeof import("@bcpseg/edge-api/node");

let trainer: Promise<TrainerLib> | undefined;
let edge: Promise<EdgeLib> | undefined;
let edgeNode: Promise<EdgeNodeLib> | undefined;

/** @bcpseg/trainer, imported once, with tfjs's console banner and warnings off (they are not ours to print). */
export function loadTrainer(): Promise<TrainerLib> {
  trainer ??= import("@bcpseg/trainer").then((t) => {
    t.quietTfjs();
    return t;
  });
  return trainer;
}

/** @bcpseg/edge-api, imported once. */
export function loadEdge(): Promise<EdgeLib> {
  edge ??= import("@bcpseg/edge-api");
  return edge;
}

/** @bcpseg/edge-api/node (startNode: the project's one Node server), imported once. */
export function loadEdgeNode(): Promise<EdgeNodeLib> {
  edgeNode ??= import("@bcpseg/edge-api/node");
  return edgeNode;
}
