import { BackendUnavailableError } from "../backend/backend-unavailable-error.ts";

/** The part of onnxruntime-node that the training engine uses. */
export type OrtNode = typeof import("onnxruntime-node");

let loaded: Promise<OrtNode> | undefined;

/** onnxruntime-node, imported on first use; BackendUnavailableError when its native binding cannot load. */
export function loadOrtNode(backend: string): Promise<OrtNode> {
  loaded ??= import("onnxruntime-node").catch((e: unknown) => {
    loaded = undefined;
    throw new BackendUnavailableError(
      backend,
      `backend "${backend}" needs onnxruntime-node, which failed to load (${String((e as Error)?.message ?? e).split("\n")[0]})`,
      { cause: e },
    );
  }) as Promise<OrtNode>;
  return loaded;
}
