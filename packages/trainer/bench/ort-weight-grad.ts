// The weight gradient of one 3x3 conv layer (batch 4, C → C channels) in every formulation the training graphs can
// use, one session per formulation, run round-robin in one process, 1 intra-op thread. Prints the minimum and the
// median CPU ms (user + system) per run: on a machine shared with other work, CPU time of a single thread is far
// less disturbed than wall time. Not run by the tests.
//   node --conditions=@bcpseg/source --import tsx bench/ort-weight-grad.ts [--layers 16@128,32@64,64@32,128@16,256@8]
//        [--forms depthwise,gemm,gemm-per-shift,split-shift,split-shift-conv,split-shift-pads] [--runs 15]
//        [--batch 4]; a 3-D layer is C@DxHxW (e.g. --batch 2 --layers 16@112x112x80,32@56x56x40 --forms
//        gemm-per-shift,split-shift,split-shift-2)
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { serialize } from "../src/ort/net-graphs.ts";
import { Tape } from "../src/ort/tape.ts";
import { convWeightGrad, type LowerOptions } from "../src/ort/train-ops.ts";

const { values } = parseArgs({
  options: {
    layers: { type: "string", default: "16@128,32@64,64@32,128@16,256@8" },
    forms: { type: "string", default: "depthwise,gemm,gemm-per-shift,split-shift,split-shift-conv,split-shift-pads" },
    runs: { type: "string", default: "15" },
    batch: { type: "string", default: "4" },
    threads: { type: "string", default: "1" },
  },
});
const forms = values.forms.split(",") as NonNullable<LowerOptions["weightGrad"]>[];
const batch = Number(values.batch);
console.log(`CPU ms per run, min (median) of ${values.runs}, ${values.threads} thread(s), batch ${batch}, 3^d C → C\n`);
console.log(`| layer | ${forms.join(" | ")} |\n|${["", ...forms].map(() => "---").join("|")}|`);
for (const spec of values.layers.split(",")) {
  // C@S, or CI-CO@S for a CI → CO layer.
  const [cs, ss] = spec.split("@");
  const [c, co] = cs.includes("-") ? cs.split("-").map(Number) : [Number(cs), Number(cs)];
  const sp = ss.includes("x") ? ss.split("x").map(Number) : [Number(ss), Number(ss)];
  const shape = [batch, c, ...sp];
  const yShape = [batch, co, ...sp];
  const n = shape.reduce((a, b) => a * b, 1);
  const ny = yShape.reduce((a, b) => a * b, 1);
  const feeds = {
    x: new ort.Tensor(
      "float32",
      Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
      shape,
    ),
    dy: new ort.Tensor(
      "float32",
      Float32Array.from({ length: ny }, (_, i) => Math.cos(i)),
      yShape,
    ),
  };
  const sessions: { session: ort.InferenceSession; cpu: number[] }[] = [];
  for (const weightGrad of forms) {
    const t = new Tape();
    t.output(
      convWeightGrad(
        t,
        t.input("x", shape),
        t.input("dy", yShape),
        sp.map(() => 3),
        1,
        1,
        { weightGrad },
      ),
      "dw",
    );
    const session = await ort.InferenceSession.create(serialize(t, "dw"), {
      intraOpNumThreads: Number(values.threads),
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
    });
    await session.run(feeds);
    sessions.push({ session, cpu: [] });
  }
  for (let r = 0; r < Number(values.runs); r++) {
    for (const v of sessions) {
      const c0 = process.cpuUsage();
      await v.session.run(feeds);
      const c = process.cpuUsage(c0);
      v.cpu.push((c.user + c.system) / 1000);
    }
  }
  const cell = (a: number[]) => {
    const b = [...a].sort((p, q) => p - q);
    return `${b[0].toFixed(1)} (${b[b.length >> 1].toFixed(1)})`;
  };
  console.log(`| ${cs} ch at ${sp.join("x")} | ${sessions.map((v) => cell(v.cpu)).join(" | ")} |`);
  for (const v of sessions) await v.session.release();
}
