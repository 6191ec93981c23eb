import { availableParallelism } from "node:os";
import { createRng, type Rng, type RngState } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { type Batch, loadBatch, TwoStreamBatchSampler } from "../data/index.ts";
import { evaluateModel } from "../eval/index.ts";
import type { SegmentationModel } from "../models/index.ts";
import type { NamedWeights } from "../nn/index.ts";
import { loadOrtNode } from "../ort/ort-node.ts";
import { probeWebGpu } from "../ort/webgpu-probe.ts";
import type { BestRecord, Checkpoint, Stage, ValidationRecord } from "./checkpoint.ts";
import type { TrainConfig } from "./config.ts";
import { createModel } from "./create-model.ts";
import { lrAt } from "./lr-schedule.ts";
import { openTrainData, type TrainData } from "./open-data.ts";
import { type OrtBackend, OrtEngine } from "./ort-engine.ts";
import { ProgressBar, type ProgressSink } from "./progress-bar.ts";
import { buildReport, type TrainReport } from "./report.ts";
import { nodeRunIo, type RunIo } from "./run-io-node.ts";
import { sampleTransform } from "./sample-transform.ts";
import { MomentumSgd, type SgdState } from "./sgd.ts";
import { TrainError } from "./train-error.ts";
import { pretrainStep, type StepContext, type StepStats, selfTrainStep } from "./train-steps.ts";
import { useBackend } from "./use-backend.ts";

/** Options of {@link train}. */
export interface TrainOptions {
  /** Datasets and split; default {@link openTrainData}(config). */
  readonly data?: TrainData;
  /** Continue from `<outDir>/last.safetensors` when it exists (bit for bit on the same backend). */
  readonly resume?: boolean;
  /** Stop (checkpointed, resumable) as soon as this is aborted. */
  readonly signal?: AbortSignal;
  /** Progress bar target; false = none; default stderr. */
  readonly progress?: ProgressSink | false;
  /** Run-folder I/O; default the local disk at config.outDir. */
  readonly io?: RunIo;
}

/** How a call to {@link train} ended. */
export interface TrainResult {
  /** "completed": both stages done and the report written; "stopped": a budget or the signal ended it early. */
  readonly status: "completed" | "stopped";
  readonly stage: Stage;
  readonly iteration: number;
  readonly outDir: string;
  readonly backend: string;
  /** Loss of every iteration run by this call. */
  readonly losses: ReadonlyArray<{ readonly stage: Stage; readonly iteration: number; readonly loss: number }>;
  /** The student's weights when the call returned. */
  readonly student: NamedWeights;
  readonly report: TrainReport | undefined;
}

/** File names inside the run folder. */
export const RUN_FILES = {
  last: "last.safetensors",
  best: (stage: Stage) => `${stage}-best.safetensors`,
  log: "metrics.jsonl",
  report: "report.json",
} as const;

const STAGES: readonly Stage[] = ["pretrain", "selftrain"];
// Config fields that may change between a run and its resumption without changing the result.
const RESUMABLE_KEYS = ["budget", "outDir", "backend", "threads", "logEvery", "checkpointEvery"] as const;

/**
 * Runs BCP as the official code does: pre-training on copy-paste mixes of labeled images, then self-training of a
 * student against its EMA teacher's pseudo labels with bidirectional mixes, validating every
 * `validation.every` iterations and keeping each stage's best checkpoint; self-training starts from the best
 * pre-train checkpoint. Writes `last.safetensors` (resumable), `<stage>-best.safetensors`, `metrics.jsonl`
 * and, when complete, `report.json`.
 */
export async function train(config: TrainConfig, options: TrainOptions = {}): Promise<TrainResult> {
  const { engine, why } = await chooseEngine(config.backend);
  // onnxruntime runs keep tfjs on its cpu backend for the initial weights and checkpoint layouts only.
  const backend = engine === "tfjs" ? await useBackend(config.backend, config.threads) : engine;
  if (engine !== "tfjs" && !tf.engine().backendName) await tf.setBackend("cpu");
  const data = options.data ?? (await openTrainData(config));
  const io = options.io ?? (await nodeRunIo(config.outDir));
  const sink = options.progress === false ? undefined : (options.progress ?? io.stderr);
  const run = new Run(config, data, backend);
  if (why !== undefined) sink?.write(`backend auto: ${backend} (${why})\n`);
  if (data.valList !== undefined && data.val !== undefined) {
    sink?.write(`validation: ${data.valList} (${data.val.ids.length} cases)\n`);
  }
  try {
    if (engine !== "tfjs") await run.useOrt(engine);
    if (options.resume && (await io.exists(RUN_FILES.last))) {
      run.restore(await io.load(RUN_FILES.last));
      await io.log({ type: "event", event: "resume", stage: run.stage, iteration: run.iteration, backend });
    } else {
      await io.log({
        type: "event",
        event: "start",
        backend,
        seed: config.seed,
        ...(data.valList === undefined ? {} : { valList: data.valList }),
        time: new Date().toISOString(),
      });
    }
    const started = performance.now();
    let spent = 0;
    const budgetSpent = () =>
      options.signal?.aborted === true ||
      (config.budget.maxIterations !== undefined && spent >= config.budget.maxIterations) ||
      (config.budget.maxSeconds !== undefined && (performance.now() - started) / 1000 >= config.budget.maxSeconds);
    const losses: Array<{ stage: Stage; iteration: number; loss: number }> = [];

    // With no self-train iterations the run is labeled-only: it ends in the pre-train stage, so its last
    // checkpoint holds the last pre-train weights and no self-train files are written.
    const stages = config.selftrain.iterations > 0 ? STAGES : STAGES.slice(0, 1);
    for (let si = stages.indexOf(run.stage); si < stages.length; si++) {
      const stage = stages[si];
      const sc = config[stage];
      const bar = sink === undefined ? undefined : new ProgressBar(sink, stage, sc.iterations, run.iteration);
      const transform = sampleTransform(config, run.augmentRng);
      while (run.iteration < sc.iterations) {
        if (budgetSpent()) {
          bar?.done();
          await io.save(RUN_FILES.last, run.snapshot(), run.shapes);
          await io.log({ type: "event", event: "stop", stage, iteration: run.iteration });
          return run.result("stopped", io.dir, losses, undefined);
        }
        const t0 = performance.now();
        run.lr = lrAt({ lr: sc.lr, step: sc.lrStep, gamma: sc.lrGamma }, run.iteration + 1);
        const indices = run.sampler.next();
        const batch = await loadBatch(
          data.train,
          stage === "pretrain" ? indices.slice(0, config.batch.labeled) : indices,
          transform,
        );
        const stats = await run.step(stage, batch);
        run.iteration++;
        spent++;
        run.seconds[stage] += (performance.now() - t0) / 1000;
        losses.push({ stage, iteration: run.iteration, loss: stats.loss });
        if (!Number.isFinite(stats.loss)) {
          throw new TrainError("ERR_TRAIN_DIVERGED", `${stage} iteration ${run.iteration}: loss is ${stats.loss}`);
        }
        if (run.iteration % config.logEvery === 0 || run.iteration === sc.iterations) {
          const record = { type: "train", stage, iteration: run.iteration, ...stats, lr: run.lr };
          await io.log({ ...record, seconds: run.seconds[stage] });
          bar?.update(run.iteration, { loss: stats.loss, lr: run.lr });
        }
        const every = config.validation.every;
        if (data.val !== undefined && ((every > 0 && run.iteration % every === 0) || run.iteration === sc.iterations)) {
          const v = await run.validate(stage);
          await io.log({ type: "val", ...v, best: run.best[stage]?.dice });
          bar?.note(
            `${stage} ${run.iteration}: validation Dice ${v.dice.toFixed(4)} (best ${run.best[stage]?.dice.toFixed(4)})`,
          );
          if (run.best[stage]?.iteration === run.iteration)
            await io.save(RUN_FILES.best(stage), run.snapshot(), run.shapes);
        }
        if (run.iteration % config.checkpointEvery === 0) await io.save(RUN_FILES.last, run.snapshot(), run.shapes);
      }
      bar?.done();
      if (run.best[stage] === null) {
        // No validation set: the stage's last state is its "best".
        run.best[stage] = { dice: Number.NaN, iteration: run.iteration };
        await io.save(RUN_FILES.best(stage), run.snapshot(), run.shapes);
      }
      if (stage === "pretrain" && si + 1 < stages.length) {
        run.beginSelfTrain(await io.load(RUN_FILES.best("pretrain")));
        await io.save(RUN_FILES.last, run.snapshot(), run.shapes);
        await io.log({ type: "event", event: "selftrain", from: run.best.pretrain });
      }
    }

    await io.save(RUN_FILES.last, run.snapshot(), run.shapes);
    const bestStage: Stage = config.selftrain.iterations > 0 ? "selftrain" : "pretrain";
    const bestStudent = (await io.load(RUN_FILES.best(bestStage))).student;
    const report = await buildReport(config, data, run, bestStudent, run.ort?.evalModel(bestStudent));
    await io.report(report);
    await io.log({ type: "event", event: "done", mean: report.evaluation?.mean });
    return run.result("completed", io.dir, losses, report);
  } finally {
    await run.dispose();
  }
}

/**
 * Which engine runs a config's `backend`: "ort-cpu" / "ort-webgpu" name onnxruntime; a tfjs backend name runs tfjs.
 * "auto" takes a real GPU first (tfjs-node-gpu when installed, then onnxruntime's WebGPU EP on a hardware Vulkan
 * driver, probeWebGpu), then onnxruntime's CPU EP (the fastest CPU engine measured, BENCHMARKS.md), then tfjs; a tfjs backend that the caller already activated is kept (tests pin cpu so).
 */
async function chooseEngine(backend: string): Promise<{ engine: "tfjs" | OrtBackend; why?: string }> {
  if (backend === "ort-cpu" || backend === "ort-webgpu") return { engine: backend };
  if (backend !== "auto") return { engine: "tfjs" };
  if (tf.engine().backendName) return { engine: "tfjs", why: `tfjs backend ${tf.engine().backendName} already active` };
  try {
    await import("@tensorflow/tfjs-node-gpu" as string);
    return { engine: "tfjs", why: "tfjs-node-gpu is installed" };
  } catch {
    // not installed: no CUDA tfjs
  }
  // onnxruntime's WebGPU EP on a hardware GPU (not on a software Vulkan driver, where the CPU EP is faster).
  const gpu = await probeWebGpu();
  if (gpu.usable) return { engine: "ort-webgpu", why: `WebGPU on the Vulkan driver ${gpu.driver.manifest}` };
  try {
    await loadOrtNode("ort-cpu");
    return { engine: "ort-cpu", why: `no GPU: ${gpu.reason}` };
  } catch (e) {
    return { engine: "tfjs", why: `no GPU (${gpu.reason}) and no onnxruntime-node (${(e as Error).message})` };
  }
}

/** The mutable state of a run: models, optimizer, generators, sampler, counters. */
export class Run {
  readonly config: TrainConfig;
  readonly data: TrainData;
  readonly backend: string;
  readonly student: SegmentationModel<unknown>;
  teacher: SegmentationModel<unknown> | undefined;
  readonly optimizer: MomentumSgd;
  readonly shapes: Record<string, number[]>;
  readonly modelSeed: number;
  readonly samplerSeeds: Record<Stage, RngState>;
  augmentRng: Rng;
  maskRng: Rng;
  dropoutRng: Rng;
  teacherDropoutRng: Rng;
  sampler: TwoStreamBatchSampler;
  stage: Stage = "pretrain";
  iteration = 0;
  best: Record<Stage, BestRecord | null> = { pretrain: null, selftrain: null };
  seconds: Record<Stage, number> = { pretrain: 0, selftrain: 0 };
  history: ValidationRecord[] = [];
  /** The onnxruntime engine when the run trains on one ({@link useOrt}); the tfjs models then hold the initial weights only. */
  ort: OrtEngine | undefined;

  constructor(config: TrainConfig, data: TrainData, backend: string) {
    this.config = config;
    this.data = data;
    this.backend = backend;
    // Every random stream forks from the seed in a fixed order, so a run replays from its config alone.
    const root = createRng(config.seed);
    this.modelSeed = root.nextUint32() >>> 1;
    this.samplerSeeds = { pretrain: root.fork().state(), selftrain: root.fork().state() };
    this.augmentRng = root.fork();
    this.maskRng = root.fork();
    this.dropoutRng = root.fork();
    this.teacherDropoutRng = root.fork();
    this.student = createModel(config, this.modelSeed);
    this.shapes = Object.fromEntries(this.student.params.entries().map(([k, v]) => [k, v.shape]));
    const trainable = this.student.params.entries().filter(([, v]) => v.trainable);
    this.optimizer = new MomentumSgd(trainable, { lr: config.pretrain.lr, ...config.optimizer });
    this.sampler = this.#sampler("pretrain");
  }

  /** Moves training onto onnxruntime ("ort-cpu" with the config's threads, or "ort-webgpu"), from the current weights. */
  async useOrt(backend: OrtBackend): Promise<void> {
    const threads = this.config.threads === "auto" ? Math.min(8, availableParallelism()) : (this.config.threads ?? 1);
    this.ort = await OrtEngine.create(backend, this.config, this.student.getWeights(), { threads });
    this.ort.setOptimizer(this.optimizer.getState());
    this.ort.lr = this.optimizer.lr;
    if (this.teacher !== undefined) this.ort.setTeacher(this.teacher.getWeights());
  }

  /** Learning rate of the next iteration. */
  get lr(): number {
    return this.ort?.lr ?? this.optimizer.lr;
  }

  set lr(value: number) {
    if (this.ort !== undefined) this.ort.lr = value;
    else this.optimizer.lr = value;
  }

  /** One iteration of `stage` on the run's engine. */
  async step(stage: Stage, batch: Batch): Promise<StepStats> {
    if (this.ort === undefined) {
      return stage === "pretrain" ? pretrainStep(this.context(), batch) : selfTrainStep(this.context(), batch);
    }
    const rngs = { mask: this.maskRng, dropout: this.dropoutRng, teacherDropout: this.teacherDropoutRng };
    return stage === "pretrain" ? this.ort.pretrainStep(batch, rngs) : this.ort.selfTrainStep(batch, rngs);
  }

  context(): StepContext {
    return {
      config: this.config,
      student: this.student,
      teacher: this.teacher,
      optimizer: this.optimizer,
      maskRng: this.maskRng,
      dropoutRng: this.dropoutRng,
      teacherDropoutRng: this.teacherDropoutRng,
    };
  }

  /** Self-train initialisation: student and teacher from the best pre-train weights, optimizer state restored (ACDC) or fresh (LA). */
  beginSelfTrain(best: Checkpoint): void {
    const restore = this.config.restoreOptimizer && best.optimizer !== undefined;
    if (this.ort !== undefined) {
      this.ort.setStudent(best.student);
      this.ort.setTeacher(best.student);
      if (restore) this.ort.setOptimizer(best.optimizer as SgdState);
      else this.ort.resetOptimizer();
    } else {
      this.student.setWeights(best.student);
      this.teacher ??= createModel(this.config, this.modelSeed);
      this.teacher.setWeights(best.student);
      if (restore) this.optimizer.setState(best.optimizer as SgdState);
      else this.optimizer.reset();
    }
    this.stage = "selftrain";
    this.iteration = 0;
    this.sampler = this.#sampler("selftrain");
  }

  /** Validates the student (eval mode) on the validation set and updates the stage's best. */
  async validate(stage: Stage): Promise<ValidationRecord> {
    const c = this.config;
    const r = await evaluateModel(this.ort?.evalModel() ?? this.student, this.data.val ?? [], {
      classes: c.classes,
      protocol: c.patchSize.length === 2 ? "slices" : "sliding",
      size: c.patchSize,
      stride: c.validation.stride,
      largestComponent: c.validation.largestComponent,
      distances: false,
      scipyEdgeQuirk: c.quirks.scipyEdgeQuirk,
    });
    const record: ValidationRecord = {
      stage,
      iteration: this.iteration,
      dice: r.mean.dice,
      perClassDice: r.perClass.map((m) => m.dice),
    };
    this.history.push(record);
    const best = this.best[stage];
    if (best === null || r.mean.dice > best.dice) this.best[stage] = { dice: r.mean.dice, iteration: this.iteration };
    return record;
  }

  snapshot(): Checkpoint {
    return {
      meta: {
        format: "bcpseg-checkpoint",
        version: 1,
        stage: this.stage,
        iteration: this.iteration,
        config: this.config,
        rng: {
          augment: this.augmentRng.state(),
          mask: this.maskRng.state(),
          dropout: this.dropoutRng.state(),
          teacherDropout: this.teacherDropoutRng.state(),
        },
        sampler: this.sampler.state(),
        best: { ...this.best },
        lr: this.lr,
        seconds: { ...this.seconds },
        history: [...this.history],
        backend: this.backend,
      },
      student: this.ort?.getStudent() ?? this.student.getWeights(),
      teacher: this.ort !== undefined ? this.ort.getTeacher() : this.teacher?.getWeights(),
      optimizer: this.ort?.getOptimizer() ?? this.optimizer.getState(),
    };
  }

  /** Continues from a `last` checkpoint of a run with the same training-relevant config. */
  restore(ckpt: Checkpoint): void {
    const strip = (c: TrainConfig) => {
      const copy: Record<string, unknown> = { ...c };
      for (const k of RESUMABLE_KEYS) delete copy[k];
      return JSON.stringify(copy);
    };
    if (strip(ckpt.meta.config) !== strip(this.config)) {
      throw new TrainError(
        "ERR_CHECKPOINT_MISMATCH",
        "resume: the checkpoint was written with a different training config",
        {
          details: { checkpoint: ckpt.meta.config },
        },
      );
    }
    const m = ckpt.meta;
    if (m.stage === "selftrain" && ckpt.teacher === undefined) {
      throw new TrainError("ERR_CHECKPOINT_FORMAT", "resume: a self-train checkpoint has no teacher");
    }
    if (this.ort !== undefined) {
      this.ort.setStudent(ckpt.student);
      if (ckpt.optimizer !== undefined) this.ort.setOptimizer(ckpt.optimizer);
      if (m.stage === "selftrain") this.ort.setTeacher(ckpt.teacher as NamedWeights);
    } else {
      this.student.setWeights(ckpt.student);
      if (ckpt.optimizer !== undefined) this.optimizer.setState(ckpt.optimizer);
      if (m.stage === "selftrain") {
        this.teacher ??= createModel(this.config, this.modelSeed);
        this.teacher.setWeights(ckpt.teacher as NamedWeights);
      }
    }
    this.lr = m.lr;
    this.augmentRng = createRng(m.rng.augment);
    this.maskRng = createRng(m.rng.mask);
    this.dropoutRng = createRng(m.rng.dropout);
    this.teacherDropoutRng = createRng(m.rng.teacherDropout);
    this.stage = m.stage;
    this.iteration = m.iteration;
    this.sampler = this.#sampler(m.stage);
    this.sampler.restore(m.sampler);
    this.best = { ...m.best };
    this.seconds = { ...m.seconds };
    this.history = [...m.history];
  }

  result(
    status: TrainResult["status"],
    outDir: string,
    losses: TrainResult["losses"],
    report: TrainReport | undefined,
  ): TrainResult {
    return {
      status,
      stage: this.stage,
      iteration: this.iteration,
      outDir,
      backend: this.backend,
      losses,
      student: this.ort?.getStudent() ?? this.student.getWeights(),
      report,
    };
  }

  async dispose(): Promise<void> {
    this.student.dispose();
    this.teacher?.dispose();
    this.optimizer.dispose();
    await this.ort?.dispose();
  }

  #sampler(stage: Stage): TwoStreamBatchSampler {
    const { labeled, unlabeled } = this.data.split;
    const b = this.config.batch;
    return new TwoStreamBatchSampler(
      labeled,
      unlabeled,
      b.labeled + b.unlabeled,
      b.unlabeled,
      createRng(this.samplerSeeds[stage]),
    );
  }
}
