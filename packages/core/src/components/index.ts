export { type Components, connectedComponents } from "./connected-components.ts";
export type { Connectivity, ConnectivityOptions } from "./connectivity.ts";
export { largestComponent } from "./largest-component.ts";
export { largestComponentBatch } from "./largest-component-batch.ts";
export { largestComponentPerClass, type PerClassOptions } from "./largest-component-per-class.ts";
export { largestComponentPerClassBatch } from "./largest-component-per-class-batch.ts";
export { type PseudoLabelOptions, pseudoLabels } from "./pseudo-labels.ts";
