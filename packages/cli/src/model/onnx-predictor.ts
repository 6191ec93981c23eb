import { readFile } from "node:fs/promises";
import type { ContractModel } from "./contract-predictor.ts";
import { contractPredictor } from "./contract-predictor.ts";
import type { Predictor } from "./predictor.ts";
import { loadEdge } from "./trainer-lib.ts";

/**
 * An exported ONNX model on the session the edge API serves it with (openModel: contract validated, graph hash
 * checked), as a {@link ContractModel}: its run gives probabilities [N, C, ...].
 */
export async function onnxModel(
  modelPath: string,
): Promise<ContractModel & { metadata: Readonly<Record<string, unknown>>; precision?: string }> {
  const edge = await loadEdge();
  const bytes = await readFile(modelPath);
  const served = edge.openModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  try {
    await served.ready;
  } catch (e) {
    await served.dispose();
    throw e;
  }
  return {
    contract: served.info.contract,
    run: served.run,
    metadata: served.info.metadata,
    precision: served.info.precision,
    dispose: () => served.dispose(),
  };
}

/** An exported ONNX model run through core's segmentImage, in process and without HTTP. */
export async function onnxPredictor(modelPath: string): Promise<Predictor> {
  return contractPredictor(await onnxModel(modelPath));
}
