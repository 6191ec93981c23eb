export { type BackendInfo, backendInfo } from "./backend-info.ts";
export { BackendUnavailableError } from "./backend-unavailable-error.ts";
export { registerGradients } from "./register-gradients.ts";
export { type BackendName, type SelectBackendOptions, selectBackend } from "./select-backend.ts";
export type { WasmThreads } from "./use-wasm.ts";
export { wasmDistDir } from "./wasm-dist-dir.ts";
