export * from "./errors/index.ts";
export * from "./rng/index.ts";
export * from "./tensor/index.ts";
