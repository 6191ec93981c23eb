export * from "./backend/index.ts";
export * from "./data/index.ts";
export * from "./eval/index.ts";
export * from "./export/index.ts";
export * from "./kernels/index.ts";
export * from "./models/index.ts";
export * from "./nn/index.ts";
export * from "./train/index.ts";
