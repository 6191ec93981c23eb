export { createRng, type Rng, type RngState } from "./create-rng.ts";
