import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { quietTfjs } from "./quiet-tfjs.ts";

describe("quietTfjs", () => {
  it("silences tfjs's Node banner on the CPU backend's first tensor", async () => {
    const warned: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(" "));
    try {
      quietTfjs();
      assert.equal(tf.env().getBool("PROD"), true);
      tf.registerBackend("cpu-quiet-test", () => new MathBackendCPU());
      await tf.setBackend("cpu-quiet-test");
      tf.tensor1d([1, 2, 3]).dispose();
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warned, []);
  });
});
