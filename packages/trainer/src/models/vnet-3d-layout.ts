/** The official V-Net's blocks as [name, stages] in state-dict order; the "_dw" / "_up" blocks sit between them. */
export const VNET_ENCODER: readonly (readonly [string, number])[] = [
  ["block_one", 1],
  ["block_two", 2],
  ["block_three", 3],
  ["block_four", 3],
  ["block_five", 3],
];
export const VNET_DECODER: readonly (readonly [string, number])[] = [
  ["block_six", 3],
  ["block_seven", 3],
  ["block_eight", 2],
  ["block_nine", 1],
];
/** Transposed-convolution up-sampling blocks of the decoder, in order. */
export const VNET_UPS: readonly string[] = ["block_five_up", "block_six_up", "block_seven_up", "block_eight_up"];
