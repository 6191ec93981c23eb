import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";

/** What a training report records about the compute backend. */
export interface BackendInfo {
  /** The tfjs backend in use: "tensorflow" (tfjs-node or tfjs-node-gpu), "wasm" or "cpu". */
  name: string;
  /** What selectBackend was asked for ("auto", ...), or null when the backend was set some other way. */
  requested: string | null;
  /** True when the tensorflow backend came from @tensorflow/tfjs-node-gpu. */
  gpu: boolean;
  /** XNNPACK threads of the wasm backend (1: the single-threaded build), 1 for cpu, null where TensorFlow manages its own pool. */
  threads: number | null;
  /** Whether the wasm backend runs its SIMD build. */
  simd: boolean;
  /** Kernels served by bcpseg's own implementations on this backend. */
  kernels: string[];
  /** Why "auto" passed over better backends, one line each. */
  skipped: string[];
  /** Why wasm runs 1 thread where more were asked for (the threaded build did not start), or null. */
  threadsFallback: string | null;
  tfjsVersion: string;
}

interface Selection {
  requested: string;
  name: string;
  gpu: boolean;
  kernels: string[];
  skipped: string[];
  threadsFallback: string | null;
}

let selection: Selection | null = null;

/** Records what selectBackend chose, for backendInfo. */
export function recordSelection(s: Selection): void {
  selection = s;
}

function wasmSimd(): boolean {
  try {
    return tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
  } catch {
    return false; // flag not evaluated yet: the wasm backend never started
  }
}

/** Describes the active tfjs backend (after selectBackend, or whatever tfjs picked). */
export function backendInfo(): BackendInfo {
  const name = tf.getBackend();
  const ours = selection !== null && selection.name === name;
  return {
    name,
    requested: ours ? selection!.requested : null,
    gpu: ours && name === "tensorflow" ? selection!.gpu : false,
    threads: name === "wasm" ? getThreadsCount() : name === "cpu" ? 1 : null,
    simd: name === "wasm" && wasmSimd(),
    kernels: ours ? [...selection!.kernels] : [],
    skipped: ours ? [...selection!.skipped] : [],
    threadsFallback: ours ? selection!.threadsFallback : null,
    tfjsVersion: tf.version_core,
  };
}
