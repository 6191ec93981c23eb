import { ArgumentError } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerMissingKernels } from "../kernels/register-missing-kernels.ts";
import { type BackendInfo, backendInfo, recordSelection } from "./backend-info.ts";
import { BackendUnavailableError } from "./backend-unavailable-error.ts";
import { registerGradients } from "./register-gradients.ts";
import { wasmDistDir } from "./wasm-dist-dir.ts";

export type BackendName = "auto" | "tensorflow-gpu" | "tensorflow" | "wasm" | "cpu";

export interface SelectBackendOptions {
  /**
   * Threads for the wasm backend. Honoured only where tfjs runs its threaded wasm build (browsers with
   * cross-origin isolation): on Node tfjs 4.22 forces WASM_HAS_MULTITHREAD_SUPPORT off (tfjs#3830), and forcing it
   * on fails because the build starts its workers from blob: URLs, which Node's Worker rejects (ERR_WORKER_PATH).
   */
  threads?: number;
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

async function useWasm(threads: number | undefined): Promise<string[]> {
  // setWasmPaths throws once the backend has started, so only the first selection sets it.
  if (tf.engine().registry.wasm === undefined) setWasmPaths(wasmDistDir());
  if (threads !== undefined) setThreadsCount(threads);
  if (!(await tf.setBackend("wasm"))) {
    throw new BackendUnavailableError(
      "wasm",
      `selectBackend: the wasm backend did not start (binaries in ${wasmDistDir()})`,
    );
  }
  return registerMissingKernels("wasm");
}

async function useOne(name: Exclude<BackendName, "auto">, options: SelectBackendOptions): Promise<string[]> {
  if (name === "tensorflow-gpu" || name === "tensorflow") {
    await useNative(name);
    return [];
  }
  if (name === "wasm") return useWasm(options.threads);
  if (!(await tf.setBackend("cpu")))
    throw new BackendUnavailableError("cpu", "selectBackend: the cpu backend did not start");
  return registerMissingKernels("cpu");
}

/**
 * Starts the tfjs backend `name` (or, for "auto", the first that works of tensorflow-gpu > tensorflow > wasm > cpu),
 * registers tfjs's gradients and bcpseg's conv kernels, and returns what runs. Throws BackendUnavailableError
 * (code ERR_BACKEND_UNAVAILABLE) when an explicitly named backend cannot start, ArgumentError for an unknown name.
 */
export async function selectBackend(
  name: BackendName = "auto",
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  if (!BACKEND_NAMES.includes(name)) {
    throw new ArgumentError("selectBackend", "name", `is "${name}"; use one of ${BACKEND_NAMES.join(", ")}`);
  }
  const skipped: string[] = [];
  for (const candidate of name === "auto" ? AUTO_ORDER : [name]) {
    try {
      const kernels = await useOne(candidate, options);
      registerGradients();
      recordSelection({
        requested: name,
        name: tf.getBackend(),
        gpu: candidate === "tensorflow-gpu",
        kernels,
        skipped,
      });
      return backendInfo();
    } catch (e) {
      if (name !== "auto" || !(e instanceof BackendUnavailableError)) throw e;
      skipped.push(e.message);
    }
  }
  throw new BackendUnavailableError(name, `selectBackend: no backend could start:\n${skipped.join("\n")}`);
}
