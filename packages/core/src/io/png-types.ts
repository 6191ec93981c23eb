/** PNG color types: gray, RGB, palette, gray + alpha, RGBA. */
export type PngColorType = 0 | 2 | 3 | 4 | 6;
/** Sample bit depths PNG allows. */
export type PngBitDepth = 1 | 2 | 4 | 8 | 16;

/** A decoded PNG: samples [H, W, C] row-major; Uint16Array when bitDepth is 16, else Uint8Array. */
export interface DecodedPng {
  readonly data: Uint8Array | Uint16Array;
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (a palette expands to 3, or 4 with tRNS). */
  readonly channels: 1 | 2 | 3 | 4;
  /** Bit depth of the values in `data` (samples are in [0, 2^bitDepth - 1]); 8 for an expanded palette. */
  readonly bitDepth: PngBitDepth;
  /** Color type of the file. */
  readonly colorType: PngColorType;
  /** Bit depth written in the file's IHDR (differs from `bitDepth` only for palettes). */
  readonly fileBitDepth: PngBitDepth;
  readonly interlaced: boolean;
  /** The tRNS transparent color of a gray or RGB file (not applied), in sample units. */
  readonly transparentColor?: readonly number[];
}

/** Channels per color type (palette: one index per pixel). */
export const PNG_CHANNELS: Readonly<Record<PngColorType, 1 | 2 | 3 | 4>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bit depths each color type allows. */
export const PNG_DEPTHS: Readonly<Record<PngColorType, readonly PngBitDepth[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** The eight-byte PNG signature. */
export const PNG_SIGNATURE: readonly number[] = [137, 80, 78, 71, 13, 10, 26, 10];
