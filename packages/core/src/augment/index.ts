export { type DrawSource, forcedDraws } from "./forced-draws.ts";
export { type RandomCrop3dOptions, randomCrop3d } from "./random-crop-3d.ts";
export { type AugmentedPair, randomRotFlip } from "./random-rot-flip.ts";
export { randomRotate } from "./random-rotate.ts";
export { rot90Flip, type Shaped } from "./rot90-flip.ts";
export { type RotateOptions, rotate } from "./rotate.ts";
export { type TrainTransform2dOptions, type TrainTransform2dResult, trainTransform2d } from "./train-transform-2d.ts";
export { trainTransform3d } from "./train-transform-3d.ts";
