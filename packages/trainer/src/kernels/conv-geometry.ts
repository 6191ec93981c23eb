import type { backend_util, TensorInfo } from "@tensorflow/tfjs-core";

/** Throws unless every input is float32 (bcpseg's conv and pool kernels compute in float32 only). */
export function checkFloat32(kernel: string, inputs: TensorInfo[]): void {
  for (const t of inputs) {
    if (t.dtype !== "float32") throw new Error(`${kernel}: inputs must be float32, got ${t.dtype}`);
  }
}

/**
 * One description of a channels-last convolution (or pooling, where outC = inC) for the 2-D and 3-D kernels: a 2-D
 * conv is a 3-D conv with depth 1.
 * Input [batch, inD, inH, inW, inC], output [batch, outD, outH, outW, outC], filter [kD, kH, kW, inC, outC].
 */
export interface ConvGeometry {
  batch: number;
  inD: number;
  inH: number;
  inW: number;
  inC: number;
  outD: number;
  outH: number;
  outW: number;
  outC: number;
  kD: number;
  kH: number;
  kW: number;
  strideD: number;
  strideH: number;
  strideW: number;
  dilationD: number;
  dilationH: number;
  dilationW: number;
  padFront: number;
  padTop: number;
  padLeft: number;
}

/** Geometry of a tfjs Conv2DInfo; only channels-last (NHWC) is supported, as everywhere in the trainer. */
export function geometry2d(info: backend_util.Conv2DInfo, kernel: string): ConvGeometry {
  if (info.dataFormat !== "channelsLast") {
    throw new Error(`${kernel}: dataFormat NCHW is not supported by the bcpseg kernels; use NHWC`);
  }
  return {
    batch: info.batchSize,
    inD: 1,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outD: 1,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kD: 1,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideD: 1,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationD: 1,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padFront: 0,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Geometry of a tfjs Conv3DInfo (always channels-last in tfjs). */
export function geometry3d(info: backend_util.Conv3DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inD: info.inDepth,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outD: info.outDepth,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kD: info.filterDepth,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideD: info.strideDepth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationD: info.dilationDepth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padFront: info.padInfo.front,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Length of one im2col row: kD·kH·kW·inC, ordered (kd, kh, kw, c) like the filter's leading axes. */
export function patchSize(g: ConvGeometry): number {
  return g.kD * g.kH * g.kW * g.inC;
}
