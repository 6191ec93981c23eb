import { type KernelConfig, type KernelFunc, Sum, type SumAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { kernelIo } from "./kernel-io.ts";

/**
 * Sum of a float32 tensor over every axis but the last (a bias gradient of a channels-last layer) as one pass of
 * float64 per-channel sums, four rows per visit of the accumulators. The wasm backend's own Sum transposes the
 * channels to the front first (~3x slower). Other reductions go to `original`.
 */
export function sumLeadingAxesKernelConfig(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: Sum,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as Record<string, TensorInfo>;
      const { axis, keepDims } = args.attrs as unknown as SumAttrs;
      const rank = x.shape.length;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
      if (!leading || x.dtype !== "float32") return original(args);
      const c = x.shape[rank - 1];
      const io = kernelIo(args.backend, backendName);
      const out = io.alloc(keepDims ? [...new Array<number>(rank - 1).fill(1), c] : [c]);
      const v = io.view(x);
      const s = new Float64Array(c);
      let p = 0;
      for (; p + 4 * c <= v.length; p += 4 * c) {
        for (let k = 0; k < c; k++) s[k] += v[p + k] + v[p + c + k] + v[p + 2 * c + k] + v[p + 3 * c + k];
      }
      for (; p < v.length; p += c) for (let k = 0; k < c; k++) s[k] += v[p + k];
      io.view(out).set(s);
      return out;
    },
  };
}
