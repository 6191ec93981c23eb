import { z } from "zod";

const int = (min: number) => z.number().int().min(min);
const positive = z.number().positive();

/**
 * Metadata that makes a field a `bcpseg train` flag: the CLI reads it from this schema's JSON Schema and
 * derives the flag, its help and its parsing from the field (`flagPrefix`/`flagTitle` on an object prefix
 * the flags inside it; `also` names more paths that get the same value).
 */
export type FlagMeta = {
  readonly flag: string;
  readonly placeholder: string;
  readonly description: string;
  readonly short?: string;
  readonly defaultText?: string;
  readonly also?: readonly string[];
};
const flag = (name: string, placeholder: string, description: string, extra: Partial<FlagMeta> = {}): FlagMeta => ({
  flag: name,
  placeholder,
  description,
  ...extra,
});

/** Where the training data comes from and how it is split into labeled / unlabeled / validation. */
export const DataConfigSchema = z
  .object({
    /**
     * acdc / la: the SSL4MIS HDF5 layouts; nifti / png: image+label folders (NiftiFolderDataset,
     * PngFolderDataset; a 2-D model trains on the Z slices of NIfTI volumes); synth2d / synth3d: core's phantoms.
     */
    kind: z.enum(["acdc", "la", "nifti", "png", "synth2d", "synth3d"]).meta(
      flag("data-kind", "kind", "Dataset kind: acdc, la (HDF5), nifti, png (image/label folders), synth2d, synth3d", {
        defaultText: "the preset's",
      }),
    ),
    /** Dataset folder (acdc, la, nifti, png). */
    root: z
      .string()
      .optional()
      .meta(flag("data-root", "dir", "Dataset folder (acdc, la, nifti, png)")),
    /** nifti / png: a folder of labeled validation cases; without it the last `valFraction` of labeled patients is held out. */
    valRoot: z
      .string()
      .optional()
      .meta(
        flag("val-root", "dir", "nifti/png: labeled validation folder (default: hold out 20% of the labeled patients)"),
      ),
    /** nifti / png without valRoot: share of the labeled patients held out for validation (default 0.2, at least 1). */
    valFraction: z.number().gt(0).lt(1).optional(),
    /** png: masks saved as 0/255 — every nonzero mask value is class 1 (default false). */
    binarize: z.boolean().optional(),
    /** Labeled patients (ACDC 3 = 5 %, 7 = 10 %; LA volumes 4 / 8). Exclusive with labeledFraction. */
    labeledPatients: int(1)
      .optional()
      .meta(flag("labeled-patients", "n", "Labeled patients (ACDC 3 or 7, LA 4 or 8)")),
    /** Fraction of the training patients that are labeled (rounded down, at least 1). */
    labeledFraction: z
      .number()
      .gt(0)
      .lte(1)
      .optional()
      .meta(flag("labeled-fraction", "f", "Fraction of training patients labeled (0..1]")),
    /** Synthetic sets: training patients (2D: 10 slices each) or volumes (3D). */
    synthPatients: int(2).default(20),
    /** Synthetic sets: validation patients / volumes, generated with another seed. */
    synthValPatients: int(1).default(4),
    /** Synthetic sets: the image size the phantom is drawn at. */
    synthSize: z.array(int(16)).min(2).max(3).optional(),
    /** Synthetic sets: generator seed. */
    synthSeed: z.number().int().default(0),
    /** acdc / la: the validation list file (relative to root, or absolute) instead of the rule's choice. */
    valList: z
      .string()
      .min(1)
      .optional()
      .meta(
        flag(
          "val-list",
          "file",
          "acdc/la: validation list, relative to the data root (default: ACDC val.list; LA test.list, else val.list)",
        ),
      ),
    /** Validation cases read at most (0 = all). */
    maxValCases: int(0).default(0),
  })
  .strict()
  .refine((d) => !(d.labeledPatients !== undefined && d.labeledFraction !== undefined), {
    message: "give labeledPatients or labeledFraction, not both",
    path: ["labeledPatients"],
  });

const StageSchema = z
  .object({
    /** Iterations of the stage (official: ACDC 10 k / 30 k, LA 2 k / 15 k). */
    iterations: int(0).meta(flag("iterations", "n", "iterations")),
    /** Base learning rate. */
    lr: positive.default(0.01),
    /** Multiply the lr by `lrGamma` after every `lrStep` iterations of the stage (LA self-train: 2500, 0.1); 0 = constant. */
    lrStep: int(0).default(0),
    lrGamma: positive.default(0.1),
  })
  .strict();

/** The whole run: reference hyper-parameters as defaults (see {@link preset}), every one overridable. */
export const TrainConfigSchema = z
  .object({
    data: DataConfigSchema,
    model: z
      .object({
        arch: z.enum(["unet2d", "vnet3d"]),
        /** Channel multiplier (1 = the official network). */
        width: positive.default(1).meta(flag("width", "w", "Network width multiplier (1 = the official network)")),
        /** VNet has_dropout (official training net: true). */
        dropout: z.boolean().default(true),
      })
      .strict(),
    /** Classes including background (ACDC 4, LA 2). */
    classes: int(2).meta(flag("classes", "n", "Classes including background (ACDC 4, LA 2)")),
    /** Training size: [H, W] slices (ACDC 256x256) or [X, Y, Z] patches (LA 112x112x80); multiples of 16. */
    patchSize: z
      .array(int(16))
      .min(2)
      .max(3)
      .meta(flag("size", "h,w[,d]", "Training patch size, multiples of 16", { also: ["data.synthSize"] })),
    /** Per-iteration batch: labeled + unlabeled samples, each split into two equal sub-batches a, b. */
    batch: z
      .object({
        labeled: int(2).meta(
          flag("batch", "n", "Labeled (= unlabeled) images per iteration, even", { also: ["batch.unlabeled"] }),
        ),
        unlabeled: int(2),
      })
      .strict(),
    pretrain: StageSchema.meta({ flagPrefix: "pretrain-", flagTitle: "Pre-training" }),
    selftrain: StageSchema.meta({ flagPrefix: "selftrain-", flagTitle: "Self-training" }),
    optimizer: z
      .object({ momentum: z.number().min(0).lt(1).default(0.9), weightDecay: z.number().min(0).default(1e-4) })
      .strict()
      .prefault({}),
    /** Self-train student also restores the best pre-train optimizer state (ACDC `load_net_opt`; LA: fresh). */
    restoreOptimizer: z.boolean(),
    /** Box side as a fraction of each axis (paper β = 2/3). */
    maskRatio: z
      .number()
      .gt(0)
      .lte(1)
      .default(2 / 3),
    /** Weight of the region cut from unlabeled images (official u_weight = paper α). */
    uWeight: z.number().min(0).default(0.5),
    ema: z
      .object({
        decay: z.number().min(0).max(1).default(0.99),
        /** "all": state dict incl. BatchNorm statistics (ACDC); "parameters": trainable only (LA). */
        scope: z.enum(["all", "parameters"]),
      })
      .strict(),
    /** Teacher mode when predicting pseudo labels: "train" (dropout, batch-stat BN) is what the official code does. */
    teacherMode: z.enum(["train", "eval"]).default("train"),
    /** Sub-batch pairing of the two mixes (ACDC or LA script; functionally symmetric). */
    pairing: z.enum(["acdc", "la"]),
    /** Dice form: ACDC DiceLoss ("batch-squared") or LA mask_DiceLoss ("per-sample"). */
    diceForm: z.enum(["batch-squared", "per-sample"]),
    /** Pre-train loss: "mix" (ACDC mix_loss, both weights 1) or "supervised" (LA CE + unmasked Dice on the mixed label). */
    pretrainLoss: z.enum(["mix", "supervised"]),
    pseudoLabel: z
      .object({
        /** "argmax" + per-class LCC (ACDC) or "threshold" p1 ≥ t + LCC (LA). */
        mode: z.enum(["argmax", "threshold"]),
        threshold: z.number().min(0).max(1).default(0.5),
        largestComponent: z.boolean().default(true),
      })
      .strict(),
    validation: z
      .object({
        /** Validate the student every `every` iterations (0 = only at the end of each stage). */
        every: int(0)
          .default(200)
          .meta(flag("val-every", "n", "Validate every n iterations (0 = end of stage)")),
        /** Sliding-window stride for 3-D validation (LA: 18, 18, 4). */
        stride: z.array(int(1)).optional(),
        /** Keep the largest component of 3-D predictions (LA test: yes; LA training-time validation: no). */
        largestComponent: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Official training augmentation (ACDC RandomGenerator, LA RandomRotFlip + RandomCrop). */
    augment: z.boolean().default(true),
    seed: z
      .number()
      .int()
      .default(1337)
      .meta(flag("seed", "n", "Random seed")),
    /** tfjs backend: "auto" picks the best available. */
    backend: z
      .string()
      .default("auto")
      .meta(
        flag(
          "backend",
          "name",
          "training engine: auto, ort-cpu, ort-webgpu (onnxruntime-node), or a tfjs backend: cpu, wasm, tensorflow, tensorflow-gpu",
        ),
      ),
    /**
     * wasm backend: XNNPACK threads, 1..8 or "auto" (every core, at most 8); unset = 1, or the threads of a wasm
     * backend already running. Results are bit-identical to 1 thread, so a run may resume with another count.
     */
    threads: z
      .union([z.literal("auto"), int(1).max(8)])
      .optional()
      .meta(
        flag(
          "threads",
          "n|auto",
          "ort-cpu and wasm: CPU threads, 1..8 or auto (every core); wasm gives the same results as 1 thread",
          { defaultText: "1" },
        ),
      ),
    /** Run folder: checkpoints, metrics.jsonl, report.json. */
    outDir: z
      .string()
      .default("runs/bcp")
      .meta(flag("out", "dir", "Run folder (checkpoints, log, report, plots)", { short: "o" })),
    /** Bound this invocation: stop (resumable) after this many iterations or seconds. */
    budget: z
      .object({
        maxIterations: int(1)
          .optional()
          .meta(flag("max-iterations", "n", "Budget: stop (resumable) after n iterations in this call")),
        maxSeconds: positive
          .optional()
          .meta(flag("max-seconds", "s", "Budget: stop (resumable) after s seconds in this call")),
      })
      .strict()
      .prefault({}),
    /** Write the resumable `last` checkpoint every this many iterations (and when stopping). */
    checkpointEvery: int(1).default(200),
    /** Log (JSONL and progress) every this many iterations. */
    logEvery: int(1).default(10),
    /** Official-code quirks, off by default (the corrected behaviour); switch on for like-for-like runs. */
    quirks: z
      .object({
        /** ACDC Dice class 0 ignores the region mask (paper-time bug, fixed in a925e30). */
        legacyMaskBug: z.boolean().default(false),
        /** Offsets randint(0, size - patch) for the box mask and the LA random crop: never flush with the far border. */
        officialMaskOffsets: z.boolean().default(false),
        /** LA context_mask draws offsets for 112x112x80 whatever the patch size. */
        legacy3dMaskRange: z.boolean().default(false),
        /** scipy zoom(order=0) zeroes the last row/column at some sizes when resizing predictions back. */
        scipyEdgeQuirk: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .refine((c) => c.patchSize.length === (c.model.arch === "unet2d" ? 2 : 3), {
    message: "patchSize must have 2 entries for unet2d and 3 for vnet3d",
    path: ["patchSize"],
  })
  .refine((c) => c.patchSize.every((d) => d % 16 === 0), {
    message: "every patchSize entry must be a multiple of 16",
    path: ["patchSize"],
  })
  .refine((c) => c.batch.labeled % 2 === 0 && c.batch.unlabeled === c.batch.labeled, {
    message: "batch.labeled must be even and equal batch.unlabeled (four equal sub-batches)",
    path: ["batch"],
  });

/** A validated run configuration. */
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
/** What a caller may write (defaults filled in by the schema). */
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
