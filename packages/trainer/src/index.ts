// The public surface, also as subpaths (@bcpseg/trainer/backend, /data, /eval, /export, /models, /train). The tfjs
// kernels (kernels/), the layers (nn/) and the mutable training Run stay internal.
export * from "./backend/index.ts";
export * from "./data/index.ts";
export * from "./env/index.ts";
export * from "./eval/index.ts";
export * from "./export/index.ts";
export * from "./models/index.ts";
export * from "./train/index.ts";
