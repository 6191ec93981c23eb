import { encodeModel } from "../export/onnx-proto.ts";
import { loadOrtNode } from "./ort-node.ts";
import { hardwareVulkanDriver, type VulkanDriver } from "./vulkan-drivers.ts";

/** Where `--backend auto` found a GPU for onnxruntime's WebGPU EP, or why it did not. */
export type WebGpuProbe =
  | { readonly usable: true; readonly driver: VulkanDriver }
  | { readonly usable: false; readonly reason: string };

/**
 * Whether onnxruntime-node's WebGPU EP runs on a hardware GPU here: a hardware Vulkan driver with its device node
 * (software drivers such as lavapipe do not count: WebGPU on them is slower than the CPU EP), and a one-node graph
 * (Mul by 2) that runs on the WebGPU EP and gives the right answer.
 */
export async function probeWebGpu(env: NodeJS.ProcessEnv = process.env): Promise<WebGpuProbe> {
  const driver = hardwareVulkanDriver(env);
  if (driver === undefined) return { usable: false, reason: "no hardware Vulkan driver with its device node" };
  const failed = await webGpuRunsProbeGraph();
  return failed === undefined ? { usable: true, driver } : { usable: false, reason: failed };
}

/** Runs a one-node graph (Mul by 2) on onnxruntime-node's WebGPU EP: undefined when it answers right, else why not. */
export async function webGpuRunsProbeGraph(): Promise<string | undefined> {
  try {
    const ort = await loadOrtNode("ort-webgpu");
    const f32 = (name: string) => ({
      name,
      type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 4 }] } } },
    });
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: "", version: 17 }],
      producer_name: "bcpseg-webgpu-probe",
      producer_version: "0",
      graph: {
        name: "probe",
        node: [{ name: "mul", op_type: "Mul", input: ["x", "two"], output: ["y"], attribute: [] }],
        initializer: [{ name: "two", data_type: 1, dims: [], raw_data: new Uint8Array(Float32Array.of(2).buffer) }],
        input: [f32("x")],
        output: [f32("y")],
      },
      metadata_props: [],
    });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ["webgpu"] });
    try {
      const out = await session.run({ x: new ort.Tensor("float32", Float32Array.of(1, 2, 3, 4), [4]) });
      const y = out.y.data as Float32Array;
      return [2, 4, 6, 8].every((v, i) => y[i] === v) ? undefined : `the probe graph gave [${y}] on WebGPU`;
    } finally {
      await session.release();
    }
  } catch (e) {
    return `WebGPU EP failed: ${String((e as Error)?.message ?? e).split("\n")[0]}`;
  }
}
