import {
  backend_util,
  Conv3D,
  type Conv3DAttrs,
  Conv3DBackpropFilterV2,
  type Conv3DBackpropFilterV2Attrs,
  Conv3DBackpropInputV2,
  type Conv3DBackpropInputV2Attrs,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { checkFloat32, geometry3d } from "./conv-geometry.ts";
import { convBackpropFilter, convBackpropInput, convForward } from "./conv-im2col.ts";
import { kernelIo } from "./kernel-io.ts";

type Inputs = Record<string, TensorInfo>;
type Shape5 = [number, number, number, number, number];

/** Conv3D, Conv3DBackpropFilterV2 and Conv3DBackpropInputV2 (NDHWC, any stride/padding) for `backendName`. */
export function conv3dKernelConfigs(backendName: string): Record<string, KernelConfig> {
  return {
    [Conv3D]: {
      kernelName: Conv3D,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, filter } = inputs as Inputs;
        const a = attrs as unknown as Conv3DAttrs;
        checkFloat32(Conv3D, [x, filter]);
        const info = backend_util.computeConv3DInfo(
          x.shape as Shape5,
          filter.shape as Shape5,
          a.strides,
          a.dilations,
          a.pad,
        );
        return convForward(kernelIo(backend, backendName), x, filter, geometry3d(info), info.outShape);
      },
    },
    [Conv3DBackpropFilterV2]: {
      kernelName: Conv3DBackpropFilterV2,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs as Inputs;
        const a = attrs as unknown as Conv3DBackpropFilterV2Attrs & NamedAttrMap;
        checkFloat32(Conv3DBackpropFilterV2, [x, dy]);
        const info = backend_util.computeConv3DInfo(x.shape as Shape5, a.filterShape, a.strides, 1, a.pad);
        return convBackpropFilter(kernelIo(backend, backendName), x, dy, geometry3d(info), info.filterShape);
      },
    },
    [Conv3DBackpropInputV2]: {
      kernelName: Conv3DBackpropInputV2,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, filter } = inputs as Inputs;
        const a = attrs as unknown as Conv3DBackpropInputV2Attrs & NamedAttrMap;
        checkFloat32(Conv3DBackpropInputV2, [dy, filter]);
        const info = backend_util.computeConv3DInfo(a.inputShape, filter.shape as Shape5, a.strides, 1, a.pad);
        return convBackpropInput(kernelIo(backend, backendName), dy, filter, geometry3d(info), info.inShape);
      },
    },
  };
}
