import { createApp, type SegmentApp } from "../app.ts";
import { defaultOrt, type OrtModule } from "../model/ort.ts";
import type { AppOptions, ModelSource } from "../options.ts";

/** Options of a Workers-style module: the CPU-only ort wasm as an imported WebAssembly.Module, and the models. */
export interface WorkerOptions extends Omit<AppOptions, "model" | "models"> {
  /**
   * `import wasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm"` (a CompiledWasm module, 13.6 MiB). It is the
   * threaded build (onnxruntime-web ships no other) and allocates shared memory on one thread; workerd accepts it.
   */
  readonly wasmModule: WebAssembly.Module;
  readonly models: readonly ModelSource[];
}

/** A module worker: `export default createWorker(...)`. */
export interface WorkerModule {
  fetch(request: Request, env?: unknown, ctx?: unknown): Promise<Response>;
  /** The app, built on the first request (Workers forbid async work at global scope). */
  app(): SegmentApp;
}

// onnxruntime-web copies env.wasm.wasmBinary and passes the copy to WebAssembly.instantiate. Edge runtimes
// refuse to compile wasm from bytes at run time, so the copy carries this marker instead, and the hook below
// instantiates the imported, precompiled module in its place.
const MARKER = new TextEncoder().encode("bcpseg:precompiled-ort-wasm");
let hooked: WebAssembly.Module | undefined;

function isMarker(source: unknown): boolean {
  const b = source instanceof Uint8Array ? source : source instanceof ArrayBuffer ? new Uint8Array(source) : undefined;
  return b !== undefined && b.length === MARKER.length && b.every((v, i) => v === MARKER[i]);
}

/** Makes onnxruntime-web instantiate `wasmModule` instead of compiling bytes (idempotent per module). */
export function usePrecompiledWasm(ort: OrtModule, wasmModule: WebAssembly.Module): void {
  if (!(wasmModule instanceof WebAssembly.Module))
    throw new TypeError("usePrecompiledWasm: wasmModule must be a WebAssembly.Module");
  ort.env.wasm.wasmBinary = MARKER.slice();
  if (hooked) {
    hooked = wasmModule;
    return;
  }
  hooked = wasmModule;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    s: unknown,
    i?: WebAssembly.Imports,
  ) => Promise<unknown>;
  (WebAssembly as { instantiate: unknown }).instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    if (!isMarker(source)) return instantiate(source, imports);
    const module = hooked as WebAssembly.Module;
    const instance = (await instantiate(module, imports)) as WebAssembly.Instance;
    return { instance, module };
  };
}

/** Builds a Cloudflare-Workers-style module around createApp (one session per model, created on first use). */
export function createWorker(options: WorkerOptions): WorkerModule {
  const { wasmModule, models, ...rest } = options;
  let app: SegmentApp | undefined;
  const get = (): SegmentApp => {
    if (!app) {
      const ort = rest.ort ?? defaultOrt;
      usePrecompiledWasm(ort, wasmModule);
      app = createApp({ ...rest, ort, models });
    }
    return app;
  };
  return {
    fetch: async (request, env, ctx) => get().fetch(request, env, ctx as never),
    app: get,
  };
}
