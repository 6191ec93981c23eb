import { createRequire } from "node:module";
import path from "node:path";

/** Folder (with trailing separator) holding @tensorflow/tfjs-backend-wasm's .wasm binaries, from node_modules. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's Node main is dist/tf-backend-wasm.node.js, beside the .wasm files.
  return path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep;
}
