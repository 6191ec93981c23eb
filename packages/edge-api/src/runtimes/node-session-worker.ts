// The worker thread of the Node session pool: loads onnxruntime once (onnxruntime-node, or onnxruntime-web's
// wasm build), opens every model it is sent once, and runs them on request; inputs and results move as
// transferred buffers. Only node-pool.ts starts it.
import { parentPort, workerData } from "node:worker_threads";
import { readModelInfo } from "../model/model-info.ts";
import type { OrtModule } from "../model/ort.ts";
import { type ServedModel, serveModel } from "../model/served-model.ts";
import { TensorLedger } from "../model/tensor-ledger.ts";
import type { PoolRequest, PoolResponse, PoolRuntime } from "./node-pool-protocol.ts";

const port = parentPort;
if (!port) throw new Error("node-session-worker.ts runs as a worker thread of node-pool.ts");
const { runtime, threads } = workerData as { runtime: PoolRuntime; threads: number };
const post = (m: PoolResponse, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** onnxruntime-node when asked for and installed, else onnxruntime-web's wasm build. */
async function loadOrt(): Promise<{ ort: OrtModule; name: "node" | "web" }> {
  if (runtime !== "web") {
    try {
      // Optional: a missing or unloadable native binding falls back to the wasm build (unless asked for "node").
      const name = "onnxruntime-node";
      const ort = (await import(name)) as OrtModule;
      return { ort, name: "node" };
    } catch (e) {
      if (runtime === "node") throw e;
    }
  }
  const ort: OrtModule = await import("onnxruntime-web/wasm");
  ort.env.wasm.numThreads = threads;
  return { ort, name: "web" };
}

const loaded = loadOrt();
const ledger = new TensorLedger();
const models = new Map<string, ServedModel>();

port.on("message", async (m: PoolRequest) => {
  if (m.op === "open") {
    try {
      const { ort, name } = await loaded;
      const info = readModelInfo(m.bytes, m.id);
      const sessionOptions =
        name === "node" ? { executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
      const served = serveModel(m.bytes, info, ort, ledger, { warmup: m.warmup, sessionOptions });
      models.set(m.id, served);
      await served.ready;
      post({ op: "opened", id: m.id, runtime: name });
    } catch (e) {
      post({ op: "failed", id: m.id, message: String((e as Error)?.message ?? e) });
    }
    return;
  }
  if (m.op === "run") {
    try {
      const model = models.get(m.id);
      if (!model) throw new Error(`model "${m.id}" is not open in this worker`);
      const probs = await model.run(m.input, m.shape);
      // Hand the result's buffer over whole when it is exactly the result; else copy once.
      const own =
        probs.byteOffset === 0 && probs.byteLength === probs.buffer.byteLength && probs.buffer instanceof ArrayBuffer
          ? probs
          : probs.slice();
      post({ op: "result", req: m.req, probs: own }, [own.buffer as ArrayBuffer]);
    } catch (e) {
      post({ op: "error", req: m.req, message: String((e as Error)?.message ?? e) });
    }
    return;
  }
  if (m.op === "close") {
    await Promise.all([...models.values()].map((s) => s.dispose()));
    port.close();
  }
});
