import { ArgumentError } from "@bcpseg/core";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { registerMissingKernels } from "../kernels/register-missing-kernels.ts";
import { BackendUnavailableError } from "./backend-unavailable-error.ts";
import { autoWasmThreads, MAX_WASM_THREADS, startThreadedWasm } from "./threaded-wasm-node.ts";
import { wasmDistDir } from "./wasm-dist-dir.ts";

/** Threads for the wasm backend: a count (1 = the single-threaded build) or "auto" (every core, at most 8). */
export type WasmThreads = number | "auto";

/** What useWasm started: bcpseg's kernels on it, and why it runs fewer threads than asked (or null). */
export interface WasmStart {
  kernels: string[];
  threadsFallback: string | null;
}

const WASM_PRIORITY = 2; // tfjs-backend-wasm's own
let tfjsFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;
let pathsSet = false;

/** Checks a threads option once, at entry. */
export function checkWasmThreads(threads: WasmThreads | undefined): void {
  if (threads === undefined || threads === "auto") return;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new ArgumentError(
      "selectBackend",
      "threads",
      `is ${threads}; use "auto" or an integer 1..${MAX_WASM_THREADS}`,
    );
  }
}

function runningThreads(): number | null {
  return tf.engine().registry.wasm === undefined ? null : getThreadsCount();
}

/**
 * Replaces the "wasm" factory (disposing a running wasm backend) and starts it: tfjs's own for 1 thread, ours for
 * more. The threaded backend is built before it is registered, so its errors reach the caller (tfjs's engine only
 * logs a failing factory).
 */
async function restart(threads: number): Promise<void> {
  tfjsFactory ??= tf.findBackendFactory("wasm");
  let factory = tfjsFactory;
  if (threads > 1) {
    const backend = await startThreadedWasm(threads); // before removing anything: a failure leaves wasm as it was
    factory = () => backend;
  }
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm");
  setThreadsCount(threads);
  // Kernels stay registered under the name "wasm", so tfjs's and bcpseg's serve whichever build runs.
  tf.registerBackend("wasm", factory, WASM_PRIORITY);
  if (!(await tf.setBackend("wasm"))) {
    throw new BackendUnavailableError(
      "wasm",
      `selectBackend: the wasm backend did not start (binaries in ${wasmDistDir()})`,
    );
  }
}

/**
 * Starts (or keeps) the wasm backend with `threads`. Undefined keeps a running wasm backend's threads, else 1: tfjs's
 * single-threaded SIMD build. 2 or more run the threaded SIMD build; a different count than the running one restarts
 * the backend, which disposes every wasm tensor. A count that cannot start throws BackendUnavailableError unless
 * `fallBack` (backend or threads "auto"), which starts 1 thread and says why.
 */
export async function useWasm(threads: WasmThreads | undefined, fallBack: boolean): Promise<WasmStart> {
  checkWasmThreads(threads);
  // setWasmPaths throws once the backend has started, so only the first selection sets it.
  if (!pathsSet && tf.engine().registry.wasm === undefined) setWasmPaths(wasmDistDir());
  pathsSet = true;
  const running = runningThreads();
  const want = threads === undefined ? (running ?? 1) : threads === "auto" ? autoWasmThreads() : threads;
  let threadsFallback: string | null = null;
  if (running === want) {
    await tf.setBackend("wasm");
  } else {
    try {
      await restart(want);
    } catch (e) {
      const why = String((e as Error)?.message ?? e).split("\n")[0];
      if (want === 1 || !(fallBack || threads === "auto")) {
        if (e instanceof BackendUnavailableError) throw e;
        throw new BackendUnavailableError("wasm", `selectBackend: the threaded wasm build did not start (${why})`, {
          cause: e,
        });
      }
      threadsFallback = `the threaded wasm build did not start with ${want} threads (${why}); running 1 thread`;
      await restart(1);
    }
  }
  return { kernels: registerMissingKernels("wasm"), threadsFallback };
}
