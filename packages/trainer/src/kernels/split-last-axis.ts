import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  SplitV,
  type SplitVAttrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { kernelIo } from "./kernel-io.ts";

/**
 * SplitV along the last axis of a float32 tensor (the gradient of a channel concat) as one strided copy per part;
 * the wasm backend's own SplitV slices element by element (~70 ms for 4x128x128x32 into two halves). Any other
 * axis or dtype goes to `original`.
 */
export function splitLastAxisKernelConfig(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: SplitV,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as Record<string, TensorInfo>;
      const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
      const rank = x.shape.length;
      const ax = util.parseAxisParam(axis, x.shape)[0];
      if (ax !== rank - 1 || rank < 2 || x.dtype !== "float32") return original(args);
      const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
      const io = kernelIo(args.backend, backendName);
      const outs = sizes.map((s) => io.alloc([...x.shape.slice(0, -1), s]));
      const c = x.shape[rank - 1];
      let offset = 0;
      outs.forEach((out, j) => {
        const w = sizes[j];
        const [src, dst] = [io.view(x), io.view(out)];
        for (let p = 0, q = offset; p < dst.length; p += w, q += c) {
          for (let k = 0; k < w; k++) dst[p + k] = src[q + k];
        }
        offset += w;
      });
      return outs;
    },
  };
}
