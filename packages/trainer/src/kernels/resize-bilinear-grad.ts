import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  ResizeBilinearGrad,
  type TensorInfo,
} from "@tensorflow/tfjs-core";

/**
 * ResizeBilinearGrad for the cpu backend: tfjs-backend-cpu 4.22 computes the right values but labels the result
 * [batch, width, height, C] instead of [batch, height, width, C], so tf.grad through a non-square
 * tf.image.resizeBilinear throws a shape error. This wraps the original and restores the input's shape.
 */
export function resizeBilinearGradShapeFix(backendName: string, original: KernelFunc): KernelConfig {
  return {
    kernelName: ResizeBilinearGrad,
    backendName,
    kernelFunc: (args) => {
      const out = original(args) as TensorInfo;
      const images = (args.inputs as Record<string, TensorInfo>).images;
      return { ...out, shape: [...images.shape] };
    },
  };
}

/** The backend's current ResizeBilinearGrad kernel function, if any. */
export function currentResizeBilinearGrad(backendName: string): KernelFunc | undefined {
  return getKernel(ResizeBilinearGrad, backendName)?.kernelFunc;
}
