import {
  backend_util,
  type KernelConfig,
  MaxPool3DGrad,
  type MaxPool3DGradAttrs,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { type ConvGeometry, geometry2d, geometry3d } from "./conv-geometry.ts";
import { kernelIo } from "./kernel-io.ts";

/**
 * dx of a max-pool: each dy value goes to the first maximum of its window (strict `>` from −∞, like tfjs-cpu and
 * PyTorch), windows clipped to the input. Input x [batch, inD, inH, inW, C], dy [batch, outD, outH, outW, C].
 */
function maxPoolGradInto(x: Float32Array, dy: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const c = g.inC;
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < g.outD; od++)
      for (let oh = 0; oh < g.outH; oh++)
        for (let ow = 0; ow < g.outW; ow++, o += c) {
          best.fill(Number.NEGATIVE_INFINITY);
          at.fill(-1);
          for (let kd = 0; kd < g.kD; kd++) {
            const id = od * g.strideD - g.padFront + kd;
            if (id < 0 || id >= g.inD) continue;
            for (let kh = 0; kh < g.kH; kh++) {
              const ih = oh * g.strideH - g.padTop + kh;
              if (ih < 0 || ih >= g.inH) continue;
              for (let kw = 0; kw < g.kW; kw++) {
                const iw = ow * g.strideW - g.padLeft + kw;
                if (iw < 0 || iw >= g.inW) continue;
                const base = (((n * g.inD + id) * g.inH + ih) * g.inW + iw) * c;
                for (let ch = 0; ch < c; ch++) {
                  if (x[base + ch] > best[ch]) {
                    best[ch] = x[base + ch];
                    at[ch] = base + ch;
                  }
                }
              }
            }
          }
          for (let ch = 0; ch < c; ch++) if (at[ch] >= 0) dx[at[ch]] += dy[o + ch];
        }
}

function run(backend: unknown, backendName: string, input: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const io = kernelIo(backend, backendName);
  const dx = io.alloc(input.shape);
  maxPoolGradInto(io.view(input), io.view(dy), g, io.view(dx));
  return dx;
}

/**
 * MaxPoolGrad and MaxPool3DGrad. tfjs-backend-wasm 4.22's versions route the gradient wrongly when every value in a
 * window is negative (they start the running maximum at 0), which happens after a leaky ReLU.
 */
export function maxPoolGradKernelConfigs(backendName: string): Record<string, KernelConfig> {
  return {
    [MaxPoolGrad]: {
      kernelName: MaxPoolGrad,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, input } = inputs as Record<string, TensorInfo>;
        const a = attrs as unknown as MaxPoolGradAttrs;
        const i = backend_util.computePool2DInfo(
          input.shape as [number, number, number, number],
          a.filterSize,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
        );
        const g = geometry2d(i, MaxPoolGrad);
        return run(backend, backendName, input, dy, g);
      },
    },
    [MaxPool3DGrad]: {
      kernelName: MaxPool3DGrad,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, input } = inputs as Record<string, TensorInfo>;
        const a = attrs as unknown as MaxPool3DGradAttrs;
        const i = backend_util.computePool3DInfo(
          input.shape as [number, number, number, number, number],
          a.filterSize,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
        );
        const g = geometry3d(i);
        return run(backend, backendName, input, dy, g);
      },
    },
  };
}
