import * as tf from "@tensorflow/tfjs-core";

/**
 * Puts tfjs in production mode (`tf.enableProdMode()`), whose only effect on the cpu and wasm backends is that
 * tfjs prints no console warnings or logs: the CPU backend's "Hi, looks like you are running TensorFlow.js in
 * Node.js ... install our node backend" banner among them, which would stand in the middle of a command's output.
 */
export function quietTfjs(): void {
  tf.enableProdMode();
}
