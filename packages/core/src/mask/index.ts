export { type BoxMask, type BoxMaskOptions, boxMask, type OffsetRange } from "./box-mask.ts";
export { checkBinaryMask } from "./check-mask.ts";
export { lossMask } from "./loss-mask.ts";
