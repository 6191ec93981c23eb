import { ArgumentError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { registerMissingKernels } from "../kernels/register-missing-kernels.ts";
import { type BackendInfo, backendInfo, recordSelection } from "./backend-info.ts";
import { BackendUnavailableError } from "./backend-unavailable-error.ts";
import { registerGradients } from "./register-gradients.ts";
import { checkWasmThreads, useWasm, type WasmThreads } from "./use-wasm.ts";

export type BackendName = "auto" | "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export interface SelectBackendOptions {
  /**
   * XNNPACK threads of the wasm backend (other backends ignore it). 1 runs tfjs's single-threaded SIMD build, the
   * default unless wasm already runs (then its threads are kept); 2..8 run tfjs's threaded SIMD build, which bcpseg
   * starts itself on Node (tfjs 4.22 cannot, tfjs#3830); "auto" takes every core, at most 8. Changing the count of a
   * running wasm backend restarts it, which disposes every wasm tensor. A count that cannot start throws
   * BackendUnavailableError; "auto" (or backend "auto") falls back to 1 thread, with the reason in backendInfo().
   */
  threads?: WasmThreads;
}

const NATIVE_PACKAGES = { "tensorflow-gpu": "@tensorflow/tfjs-node-gpu", tensorflow: "@tensorflow/tfjs-node" } as const;
const AUTO_ORDER = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
const BACKEND_NAMES: readonly string[] = ["auto", ...AUTO_ORDER];

// A variable specifier keeps TypeScript and bundlers from resolving the optional native packages.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

function isNotFound(e: unknown, pkg: string): boolean {
  const code = (e as { code?: unknown })?.code;
  const message = String((e as Error)?.message ?? e);
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(pkg);
}

async function useNative(name: "tensorflow-gpu" | "tensorflow"): Promise<void> {
  const pkg = NATIVE_PACKAGES[name];
  try {
    await importOptional(pkg);
  } catch (e) {
    const why = isNotFound(e, pkg)
      ? "is not installed"
      : `failed to load (${String((e as Error)?.message ?? e).split("\n")[0]})`;
    throw new BackendUnavailableError(
      name,
      `selectBackend: backend "${name}" needs ${pkg}, which ${why}; install it with \`npm install ${pkg}@4.22.0 -w @bcpseg/trainer\` (see README, "GPU and native TensorFlow")`,
      { cause: e },
    );
  }
  if (!(await tf.setBackend("tensorflow"))) {
    throw new BackendUnavailableError(name, `selectBackend: ${pkg} loaded but its "tensorflow" backend did not start`);
  }
}

interface Started {
  kernels: string[];
  threadsFallback: string | null;
}

async function useOne(
  name: Exclude<BackendName, "auto">,
  options: SelectBackendOptions,
  fallBack: boolean,
): Promise<Started> {
  if (name === "tensorflow-gpu" || name === "tensorflow") {
    await useNative(name);
    return { kernels: [], threadsFallback: null };
  }
  if (name === "wasm") return useWasm(options.threads, fallBack);
  if (!(await tf.setBackend("cpu")))
    throw new BackendUnavailableError("cpu", "selectBackend: the cpu backend did not start");
  return { kernels: registerMissingKernels("cpu"), threadsFallback: null };
}

/**
 * Starts the tfjs backend `name` (or, for "auto", the first that works of tensorflow-gpu > tensorflow > wasm > cpu),
 * registers tfjs's gradients and bcpseg's conv kernels, and returns what runs (see SelectBackendOptions.threads). Throws BackendUnavailableError
 * (code ERR_BACKEND_UNAVAILABLE) when an explicitly named backend cannot start, ArgumentError for an unknown name.
 */
export async function selectBackend(
  name: BackendName = "auto",
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new ArgumentError("selectBackend", "name", `is "${name}"; use one of ${BACKEND_NAMES.join(", ")}`);
  }
  checkWasmThreads(options.threads);
  const skipped: string[] = [];
  for (const candidate of name === "auto" ? AUTO_ORDER : [name]) {
    try {
      const { kernels, threadsFallback } = await useOne(candidate, options, name === "auto");
      registerGradients();
      recordSelection({
        requested: name,
        name: tf.getBackend(),
        gpu: candidate === "tensorflow-gpu",
        kernels,
        skipped,
        threadsFallback,
      });
      return backendInfo();
    } catch (e) {
      if (name !== "auto" || !(e instanceof BackendUnavailableError)) throw e;
      skipped.push(e.message);
    }
  }
  throw new BackendUnavailableError(name, `selectBackend: no backend could start:\n${skipped.join("\n")}`);
}
