import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { BackendWasm, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";

// emscripten builds the threaded binary with a pool of 8 pthread workers; more threads would spawn extra workers
// lazily through a global Worker, which startThreadedWasm does not leave behind.
export const MAX_WASM_THREADS = 8;

type Cwrap = (name: string, ret: string | null, args: string[]) => unknown;
interface EmscriptenModule {
  cwrap: Cwrap;
  tfjs?: Record<string, unknown>;
  PThread: { runningWorkers: { unref(): void }[] };
}
type Imports = Record<string, Record<string, unknown>>;
interface FactoryConfig {
  locateFile(file: string, prefix: string): string;
  instantiateWasm(
    imports: Imports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): object;
  mainScriptUrlOrBlob: string;
  onAbort(what: unknown): void;
}
type Factory = (config: FactoryConfig) => Promise<EmscriptenModule>;

const require = createRequire(import.meta.url);
const WASM_OUT = "@tensorflow/tfjs-backend-wasm/wasm-out/";

/** Writes the pthread worker source once to os.tmpdir(), named by its hash (temp file + rename, so racers agree). */
function workerFile(): string {
  const { wasmWorkerContents } = require(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.worker.js`) as {
    wasmWorkerContents: string;
  };
  // The template literal turned the source's "\n" escapes into raw newlines inside string literals; tfjs re-escapes
  // them the same way before making its blob.
  const source = wasmWorkerContents.replace(/\n/g, "\\n");
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  // .cjs: the worker uses require and __filename, whatever package.json sits above tmpdir.
  const file = path.join(tmpdir(), `bcpseg-tfjs-wasm-worker-${hash}.cjs`);
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, source);
    renameSync(tmp, file);
  }
  return file;
}

/**
 * Starts tfjs-backend-wasm's threaded SIMD build on Node with `threads` XNNPACK threads (2..MAX_WASM_THREADS) and
 * returns the backend. Does what tfjs's own init() does after instantiation (the `tfjs` cwraps, then BackendWasm with
 * setThreadsCount), but gives emscripten file paths where tfjs gives blob: URLs, which Node's Worker rejects.
 * No worker keeps the process alive.
 */
export async function startThreadedWasm(threads: number): Promise<BackendWasm> {
  if (typeof SharedArrayBuffer !== "function") throw new Error("SharedArrayBuffer is not available");
  // The threaded binary is SIMD-only; evaluating tfjs's flag also lets backendInfo report it.
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) throw new Error("this runtime's WebAssembly has no SIMD");
  const factoryJs = require.resolve(`${WASM_OUT}tfjs-backend-wasm-threaded-simd.js`);
  const wasmFile = path.join(
    path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")),
    "tfjs-backend-wasm-threaded-simd.wasm",
  );
  const worker = workerFile();
  const factory = require(factoryJs) as Factory;
  const hadWorker = "Worker" in globalThis;
  const previousWorker = (globalThis as { Worker?: unknown }).Worker;
  let aborted: unknown = null;
  let module: EmscriptenModule;
  try {
    module = await new Promise<EmscriptenModule>((resolve, reject) => {
      factory({
        locateFile: (file, prefix) =>
          file.endsWith(".worker.js") ? worker : file.endsWith(".wasm") ? wasmFile : prefix + file,
        // Each worker importScripts (fs + eval) this file, which defines the global WasmBackendModuleThreadedSimd.
        mainScriptUrlOrBlob: factoryJs,
        // tfjs caps XNNPACK's pool at emscripten_num_logical_cores() / 2 (it assumes two hyperthreads per core), read
        // once at startup; report 2 * threads so the pool gets exactly the threads asked for, even on a 2-core box.
        instantiateWasm: (imports, receive) => {
          const env = { ...imports.env, emscripten_num_logical_cores: () => 2 * threads };
          WebAssembly.instantiate(readFileSync(wasmFile), { ...imports, env, wasi_snapshot_preview1: env }).then(
            (r) => receive(r.instance, r.module),
            reject,
          );
          return {};
        },
        onAbort: (what) => {
          aborted = what;
          reject(new Error(`the threaded wasm build aborted: ${String(what)}`));
        },
      }).then(resolve, reject);
    });
  } finally {
    // emscripten sets global.Worker to worker_threads' Worker on Node; libraries read it as "in a browser".
    if (hadWorker) (globalThis as { Worker?: unknown }).Worker = previousWorker;
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
  if (aborted !== null) throw new Error(`the threaded wasm build aborted: ${String(aborted)}`);
  const cwrap = module.cwrap.bind(module) as Cwrap;
  module.tfjs = {
    init: cwrap("init", null, []),
    initWithThreadsCount: cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: cwrap("get_threads_count", "number", []),
    registerTensor: cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: cwrap("dispose_data", null, ["number"]),
    dispose: cwrap("dispose", null, []),
  };
  // BackendWasm's constructor passes tfjs's module-level thread count to init_with_threads_count.
  setThreadsCount(threads);
  const backend = new BackendWasm(module as never);
  // XNNPACK's pool threads run for good, and emscripten refs the worker of every running pthread: without this a
  // script that used the backend never exits. BackendWasm.dispose terminates them.
  for (const w of module.PThread.runningWorkers) w.unref();
  return backend;
}

/** Threads "auto" gives the wasm backend on Node: every core the process may use, at most MAX_WASM_THREADS. */
export function autoWasmThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_WASM_THREADS));
}
