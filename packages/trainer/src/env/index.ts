export { quietTfjs } from "./quiet-tfjs.ts";
