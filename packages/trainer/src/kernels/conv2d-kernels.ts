import {
  backend_util,
  Conv2D,
  type Conv2DAttrs,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { checkFloat32, geometry2d } from "./conv-geometry.ts";
import { convBackpropFilter, convBackpropInput, convForward } from "./conv-im2col.ts";
import { convBackpropFilterStride1, convBackpropInputStride1, isStride1Conv2d } from "./conv-stride1.ts";
import { kernelIo } from "./kernel-io.ts";

type Inputs = Record<string, TensorInfo>;

/** Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput (NHWC, any stride/dilation/padding) for `backendName`. */
export function conv2dKernelConfigs(backendName: string): Record<string, KernelConfig> {
  return {
    [Conv2D]: {
      kernelName: Conv2D,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, filter } = inputs as Inputs;
        const a = attrs as unknown as Conv2DAttrs;
        checkFloat32(Conv2D, [x, filter]);
        const format = backend_util.convertConv2DDataFormat(a.dataFormat);
        const info = backend_util.computeConv2DInfo(
          x.shape as [number, number, number, number],
          filter.shape as [number, number, number, number],
          a.strides,
          a.dilations,
          a.pad,
          a.dimRoundingMode,
          false,
          format,
        );
        return convForward(kernelIo(backend, backendName), x, filter, geometry2d(info, Conv2D), info.outShape);
      },
    },
    [Conv2DBackpropFilter]: {
      kernelName: Conv2DBackpropFilter,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs as Inputs;
        const a = attrs as unknown as Conv2DBackpropFilterAttrs & NamedAttrMap;
        checkFloat32(Conv2DBackpropFilter, [x, dy]);
        const format = backend_util.convertConv2DDataFormat(a.dataFormat);
        const info = backend_util.computeConv2DInfo(
          x.shape as [number, number, number, number],
          a.filterShape,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
          false,
          format,
        );
        const g = geometry2d(info, Conv2DBackpropFilter);
        const io = kernelIo(backend, backendName);
        if (isStride1Conv2d(g)) return convBackpropFilterStride1(io, x, dy, g);
        return convBackpropFilter(io, x, dy, g, info.filterShape);
      },
    },
    [Conv2DBackpropInput]: {
      kernelName: Conv2DBackpropInput,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, filter } = inputs as Inputs;
        const a = attrs as unknown as Conv2DBackpropInputAttrs & NamedAttrMap;
        checkFloat32(Conv2DBackpropInput, [dy, filter]);
        const format = backend_util.convertConv2DDataFormat(a.dataFormat);
        const info = backend_util.computeConv2DInfo(
          a.inputShape,
          filter.shape as [number, number, number, number],
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
          false,
          format,
        );
        const g = geometry2d(info, Conv2DBackpropInput);
        const io = kernelIo(backend, backendName);
        if (isStride1Conv2d(g)) {
          const dx = convBackpropInputStride1(io, dy, filter, g);
          return { ...dx, shape: info.inShape };
        }
        return convBackpropInput(io, dy, filter, g, info.inShape);
      },
    },
  };
}
