/** Which onnxruntime the pool's workers load: "node" (native, required), "web" (wasm), "auto" (node, else web). */
export type PoolRuntime = "node" | "web" | "auto";

/** Messages from the pool to a worker. */
export type PoolRequest =
  | { readonly op: "open"; readonly id: string; readonly bytes: Uint8Array; readonly warmup?: number }
  | {
      readonly op: "run";
      readonly req: number;
      readonly id: string;
      readonly input: Float32Array;
      readonly shape: readonly number[];
    }
  | { readonly op: "close" };

/** Messages from a worker to the pool. */
export type PoolResponse =
  | { readonly op: "opened"; readonly id: string; readonly runtime: "node" | "web" }
  | { readonly op: "failed"; readonly id: string; readonly message: string }
  | { readonly op: "result"; readonly req: number; readonly probs: Float32Array }
  | { readonly op: "error"; readonly req: number; readonly message: string };
