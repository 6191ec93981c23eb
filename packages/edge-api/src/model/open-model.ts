import { readModelInfo } from "./model-info.ts";
import { defaultOrt, type OrtModule } from "./ort.ts";
import { type ServedModel, serveModel } from "./served-model.ts";
import { TensorLedger } from "./tensor-ledger.ts";

/** Options of {@link openModel}. */
export interface OpenModelOptions {
  readonly id?: string;
  /** onnxruntime binding (default onnxruntime-web's wasm build, as createApp). */
  readonly ort?: OrtModule;
  /** wasm threads (default 1). */
  readonly threads?: number;
  /** Warm-up runs before `ready` (default 0: a batch job pays for them once anyway). */
  readonly warmup?: number;
}

/**
 * One model as the edge API serves it, without the HTTP app: readModelInfo (the contract validated, the graph
 * hash checked) and its one session. Feed `model.run` to core's segmentImage; dispose() when done.
 */
export function openModel(bytes: Uint8Array, options: OpenModelOptions = {}): ServedModel {
  const info = readModelInfo(bytes, options.id);
  const ort = options.ort ?? defaultOrt;
  ort.env.wasm.numThreads = options.threads ?? 1;
  return serveModel(bytes, info, ort, new TensorLedger(), { warmup: options.warmup ?? 0 });
}
