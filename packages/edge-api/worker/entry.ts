// A Cloudflare Workers entry (wrangler bundles it; see wrangler.toml): the CPU-only onnxruntime wasm and the
// model are imported as modules, so nothing is compiled from bytes at run time.
// @ts-expect-error: a CompiledWasm module import, resolved by the bundler
import wasmModule from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { createWorker } from "../src/runtimes/workers.ts";
// @ts-expect-error: a Data module import (ArrayBuffer), resolved by the bundler
import model from "./model.onnx";

export default createWorker({ wasmModule, models: [model as ArrayBuffer], limits: { concurrency: 1, queue: 8 } });
