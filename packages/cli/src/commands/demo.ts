import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { TrainReport } from "@bcpseg/trainer";
import { contractForConfig } from "@bcpseg/trainer";
import { defineCommand } from "../cli/command.ts";
import { num, str } from "../cli/parse-flags.ts";
import { CliError } from "../errors/cli-error.ts";
import { diceTable } from "../format/dice-table.ts";
import { formatTable } from "../format/table.ts";
import { exportStudent, modelFileName } from "../model/export-student.ts";
import { loadStudent } from "../model/load-student.ts";
import { loadEdge, loadEdgeNode, loadTrainer } from "../model/trainer-lib.ts";
import { writeRunPlots } from "../plot/write-run-plots.ts";
import { demoSample, sampleDice } from "./demo-sample.ts";
import { serverUrl, waitForAbort } from "./serve.ts";

/**
 * Budgets of the demo: quick (< 1 min on 2 cores) and default (< 5 min). Half the iterations pre-train, half
 * self-train, and 40 phantom patients with 5% (2) labeled, as in the quality bench (bench/quality.ts) where BCP
 * beat labeled-only at that share; the labeled-only baseline gets the same total.
 */
export const DEMO_BUDGETS = {
  quick: {
    size: 32,
    patients: 40,
    valPatients: 2,
    pretrain: 200,
    selftrain: 200,
    every: 50,
    width: 0.25,
    calibration: 8,
  },
  full: {
    size: 64,
    patients: 40,
    valPatients: 4,
    pretrain: 500,
    selftrain: 500,
    every: 100,
    width: 0.25,
    calibration: 16,
  },
} as const;

export const demoCommand = defineCommand({
  name: "demo",
  summary: "the whole system in minutes: phantoms -> BCP vs labeled-only -> int8 ONNX -> HTTP segmentation",
  usage: "[options]",
  description:
    "Generates the synthetic phantom set, pre-trains and self-trains a small student with 5% labels and a\n" +
    "labeled-only baseline with the same iteration budget, evaluates both, exports the student as int8 ONNX,\n" +
    "serves it on a free loopback port, segments a new phantom slice over HTTP and prints the Dice table; with\n" +
    "--serve it keeps serving and prints the page's URL.\n" +
    "Under 5 minutes on 2 CPU cores; --quick under 1 minute.",
  options: {
    quick: { type: "boolean", description: "Tiny budget (32x32 images, 400 iterations): under a minute" },
    serve: { type: "boolean", description: "Keep serving the model after the demo (Ctrl-C stops)" },
    out: {
      type: "string",
      short: "o",
      placeholder: "dir",
      description: "Where runs, plots and the model go",
      defaultText: "bcpseg-demo",
    },
    port: { type: "string", placeholder: "n", description: "Port of the edge API", defaultText: "a free one" },
    backend: { type: "string", placeholder: "name", description: "tfjs backend", defaultText: "wasm" },
    seed: { type: "string", placeholder: "n", description: "Seed of the run", defaultText: "1337" },
  },
  jsonLines: 'with --serve, a {"listening":{url}} line once serving, then the summary (or the error) when stopped',
  examples: ["bcpseg demo --quick", "bcpseg demo --serve --port 8080"],
  async run({ values, io, json }) {
    const started = performance.now();
    const t = await loadTrainer();
    const b = values.quick === true ? DEMO_BUDGETS.quick : DEMO_BUDGETS.full;
    const out = resolve(io.cwd, str(values, "out") ?? "bcpseg-demo");
    const seed = num(values, "seed", { int: true }) ?? 1337;
    const backend = str(values, "backend") ?? "wasm";
    const say = (line: string) => io.stderr.write(`${line}\n`);
    await mkdir(out, { recursive: true });
    const base = {
      data: {
        synthPatients: b.patients,
        synthValPatients: b.valPatients,
        synthSize: [b.size, b.size],
        labeledFraction: 0.05,
      },
      model: { width: b.width },
      patchSize: [b.size, b.size],
      validation: { every: b.every },
      checkpointEvery: b.every,
      logEvery: 5,
      backend,
      seed,
    };
    const bcpConfig = t.preset("synth2d", {
      ...base,
      outDir: join(out, "bcp"),
      pretrain: { iterations: b.pretrain },
      selftrain: { iterations: b.selftrain },
    });
    const baseConfig = t.preset("synth2d", {
      ...base,
      outDir: join(out, "labeled-only"),
      pretrain: { iterations: b.pretrain + b.selftrain },
      selftrain: { iterations: 0 },
    });
    const labeled = Math.max(1, Math.floor(0.05 * b.patients));
    say(
      `[1/5] phantom set: ${b.patients} patients x 10 slices of ${b.size}x${b.size}, 5% labeled (${labeled} patients); ${b.valPatients} validation patients`,
    );
    say(`[2/5] BCP: pre-train ${b.pretrain} + self-train ${b.selftrain} iterations`);
    const progress = io.stderr;
    const bcp = await t.train(bcpConfig, { signal: io.signal, progress });
    stopIfAborted(io.signal);
    say(
      `[3/5] labeled-only baseline: ${b.pretrain + b.selftrain} iterations of supervised copy-paste on the labeled slices`,
    );
    const baseline = await t.train(baseConfig, { signal: io.signal, progress });
    stopIfAborted(io.signal);
    const bcpReport = bcp.report as TrainReport;
    const baseReport = baseline.report as TrainReport;
    const plots = await writeRunPlots(bcp.outDir, {
      title: "BCP on synthetic phantoms (5% labels)",
      compare: [{ name: "labeled only", report: baseReport }],
    });
    await writeRunPlots(baseline.outDir, { title: "labeled-only baseline", name: "labeled only" });

    say("[4/5] export: int8 ONNX (static, calibrated on training slices)");
    const student = await loadStudent(join(bcp.outDir, "selftrain-best.safetensors"), backend);
    let exported: Awaited<ReturnType<typeof exportStudent>>;
    try {
      exported = await exportStudent(student, { precision: "int8-static", calibrationImages: b.calibration });
    } finally {
      student.model.dispose();
    }
    const modelPath = join(out, modelFileName("int8-static"));
    await t.writeModelAtomic(modelPath, exported.bytes);

    say("[5/5] edge API: serving the int8 model on loopback and segmenting a new phantom slice over HTTP");
    const [edge, { startNode }] = await Promise.all([loadEdge(), loadEdgeNode()]);
    const server = await startNode({
      modelPaths: [modelPath],
      port: num(values, "port", { int: true, min: 0 }) ?? 0,
      hostname: "127.0.0.1",
      logger: edge.silentLogger,
    });
    const url = serverUrl("127.0.0.1", server.port);
    try {
      const sample = await demoSample([b.size, b.size], 9_000_001);
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/segment?format=png`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: sample.png as Uint8Array<ArrayBuffer>,
      });
      if (!res.ok) throw new CliError("ERR_RUNTIME", `the edge API answered ${res.status}: ${await res.text()}`);
      const answer = new Uint8Array(await res.arrayBuffer());
      const httpMs = performance.now() - t0;
      const served = await sampleDice(answer, sample.truth, sample.shape, bcpConfig.classes);
      const names = contractForConfig(bcpConfig).classes.map((c) => c.name);
      const summary = {
        outDir: out,
        url: values.serve === true ? `${url}/` : undefined,
        model: { path: modelPath, bytes: exported.bytes.length, precision: "int8-static" },
        dice: {
          bcp: bcpReport.evaluation,
          labeledOnly: baseReport.evaluation,
          httpSample: Object.fromEntries(served.map((d, i) => [names[i + 1], d])),
        },
        plots,
        seconds: (performance.now() - started) / 1000,
        httpMs,
      };
      if (!json) {
        const table = diceTable(names, [
          { name: "BCP (5% labels)", ...bcpReport.evaluation! },
          { name: "labeled only", ...baseReport.evaluation! },
        ]);
        io.stdout.write(`\nValidation Dice (${b.valPatients} phantom patients, ACDC protocol):\n${table}\n\n`);
        const rows = served.map((d, i) => [names[i + 1], d]);
        io.stdout.write(
          `Served int8 model on a new slice over HTTP (${httpMs.toFixed(0)} ms):\n${formatTable(["class", "Dice"], rows)}\n\n`,
        );
        io.stdout.write(`model: ${modelPath} (${(exported.bytes.length / 1024).toFixed(1)} KiB)\n`);
        io.stdout.write(`plots: ${plots.curvesSvg}, ${plots.diceSvg}\n`);
        io.stdout.write(`done in ${summary.seconds.toFixed(1)} s\n`);
        io.stdout.write(pageLine(values.serve === true ? url : undefined, modelPath));
      }
      if (values.serve === true) {
        if (json) io.stdout.write(`${JSON.stringify({ listening: { url: summary.url } })}\n`);
        await waitForAbort(io.signal);
      }
      return summary;
    } finally {
      await server.close();
    }
  },
});

/** The demo's last line: the page's URL while the server stays up (`url`), else how to keep one. */
export function pageLine(url: string | undefined, modelPath: string): string {
  if (url !== undefined) return `page:  ${url}/ (serving until Ctrl-C)\n`;
  return `the server has closed; for its page run \`bcpseg demo --serve\` or \`bcpseg serve ${modelPath}\`\n`;
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CliError("ERR_RUNTIME", "demo interrupted");
}
