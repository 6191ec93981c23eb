import { z } from "zod";

const int = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be an integer`);
const posInt = (what: string) => int(what).positive(`${what} must be positive`);
const sizeList = z.array(posInt("size")).min(2, "must have 2 or 3 entries").max(3, "must have 2 or 3 entries");

/** Min-max or z-score intensity normalisation over the whole image (or each slice of a 2D stack). */
export const NormalizeStepSchema = z
  .strictObject({
    op: z.literal("normalize"),
    method: z.enum(["minmax", "zscore"]),
    /** "image": over everything passed in (ACDC: the 3D frame); "slice": each slice of a 2D stack alone. */
    scope: z.enum(["image", "slice"]).default("image"),
    /** zscore only: clip to these percentiles (0..100) first. */
    clipPercentiles: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100)]).optional(),
  })
  .refine((s) => s.clipPercentiles === undefined || s.method === "zscore", {
    message: "clipPercentiles applies to method zscore only",
    path: ["clipPercentiles"],
  })
  .refine((s) => s.clipPercentiles === undefined || s.clipPercentiles[0] <= s.clipPercentiles[1], {
    message: "clipPercentiles must be [lo, hi] with lo <= hi",
    path: ["clipPercentiles"],
  });

/** Clamp intensities to [min, max]. */
export const ClipStepSchema = z
  .strictObject({ op: z.literal("clip"), min: z.number(), max: z.number() })
  .refine((s) => s.min <= s.max, { message: "min must be <= max", path: ["max"] });

/** Resize the spatial axes (each slice of a 2D model, the volume of a 3D model) to `size`. */
export const ResizeStepSchema = z.strictObject({
  op: z.literal("resize"),
  mode: z.enum(["nearest", "bilinear"]),
  size: sizeList,
  /** nearest only: reproduce scipy zoom(order=0)'s zeroed last row/column, also when restoring labels. */
  scipyEdgeQuirk: z.boolean().default(false),
  /** bilinear only: align corner pixels instead of pixel centres. */
  alignCorners: z.boolean().default(false),
});

/** Centred crop and/or constant pad of the spatial axes to `size`. */
export const CropOrPadStepSchema = z.strictObject({
  op: z.literal("cropOrPad"),
  size: sizeList,
  fill: z.number().default(0),
});

/** One preprocessing step; `op` names it (exactly the operations of core's preprocess folder). */
export const PreprocessStepSchema = z.discriminatedUnion("op", [
  NormalizeStepSchema,
  ClipStepSchema,
  ResizeStepSchema,
  CropOrPadStepSchema,
]);

const ClassSchema = z.strictObject({
  index: int("index").min(0, "index must be >= 0"),
  name: z.string().min(1, "name must not be empty"),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "color must be #rrggbb")
    .optional(),
});

/** The model contract: everything needed to feed a trained model and read its output back. */
export const ModelContractSchema = z
  .object({
    format: z.literal("bcpseg.model"),
    contractVersion: z.literal(1),
    name: z.string().min(1, "name must not be empty"),
    task: z.enum(["2d", "3d"]),
    input: z.strictObject({
      layout: z.enum(["NCHW", "NCXYZ"]),
      size: z.array(posInt("size").multipleOf(16, "must be divisible by 16")).min(2).max(3),
      channels: z.literal(1),
      dtype: z.literal("float32"),
    }),
    classes: z.array(ClassSchema).min(2, "needs at least background and one class"),
    preprocessing: z.array(PreprocessStepSchema),
    inference: z.strictObject({
      mode: z.enum(["slice", "sliding-window"]),
      patch: z.array(posInt("patch")).optional(),
      stride: z.array(posInt("stride")).optional(),
    }),
    postprocessing: z.strictObject({
      largestComponent: z.boolean(),
      connectivity: z.union([z.literal(4), z.literal(8), z.literal(6), z.literal(18), z.literal(26)]).optional(),
    }),
    producer: z.strictObject({ name: z.literal("@bcpseg/core"), version: z.string().min(1) }),
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", message, path });
    const rank = c.task === "2d" ? 2 : 3;
    if (c.input.layout !== (rank === 2 ? "NCHW" : "NCXYZ")) {
      issue(["input", "layout"], `must be ${rank === 2 ? "NCHW" : "NCXYZ"} for task ${c.task}`);
    }
    if (c.input.size.length !== rank) issue(["input", "size"], `must have ${rank} entries for task ${c.task}`);
    const seen = new Map<number, number>();
    c.classes.forEach((k, i) => {
      if (seen.has(k.index)) issue(["classes", i, "index"], `duplicate class index ${k.index}`);
      else seen.set(k.index, i);
    });
    for (let i = 0; i < c.classes.length; i++) {
      if (!seen.has(i)) issue(["classes"], `class indices must be 0..${c.classes.length - 1}; ${i} is missing`);
    }
    let lastGeometry: number[] | undefined;
    c.preprocessing.forEach((s, i) => {
      if (s.op === "resize" || s.op === "cropOrPad") {
        if (s.size.length !== rank) issue(["preprocessing", i, "size"], `must have ${rank} entries for task ${c.task}`);
        lastGeometry = s.size;
      }
      if (s.op === "normalize" && s.scope === "slice" && rank === 3) {
        issue(["preprocessing", i, "scope"], `"slice" applies to 2d models only`);
      }
      if (s.op === "resize" && s.mode === "nearest" && s.alignCorners) {
        issue(["preprocessing", i, "alignCorners"], "applies to mode bilinear only");
      }
      if (s.op === "resize" && s.mode === "bilinear" && s.scipyEdgeQuirk) {
        issue(["preprocessing", i, "scipyEdgeQuirk"], "applies to mode nearest only");
      }
    });
    if (rank === 2 && lastGeometry && lastGeometry.join() !== c.input.size.join()) {
      issue(["preprocessing"], `the last resize/cropOrPad must give input.size [${c.input.size.join(", ")}]`);
    }
    const inf = c.inference;
    if (inf.mode !== (rank === 2 ? "slice" : "sliding-window")) {
      issue(["inference", "mode"], `must be ${rank === 2 ? '"slice"' : '"sliding-window"'} for task ${c.task}`);
    }
    if (inf.mode === "sliding-window") {
      if (inf.patch && inf.patch.join() !== c.input.size.join()) {
        issue(["inference", "patch"], `must equal input.size [${c.input.size.join(", ")}]`);
      }
      if (!inf.stride) issue(["inference", "stride"], "is required for sliding-window inference");
      else if (inf.stride.length !== rank) issue(["inference", "stride"], `must have ${rank} entries`);
      else {
        inf.stride.forEach((s, i) => {
          if (s > c.input.size[i]) issue(["inference", "stride", i], `must be <= the patch size ${c.input.size[i]}`);
        });
      }
    } else if (inf.patch || inf.stride) {
      issue(["inference"], "patch and stride apply to sliding-window inference only");
    }
    const conn = c.postprocessing.connectivity;
    if (conn !== undefined && !(rank === 2 ? [4, 8] : [6, 18, 26]).includes(conn)) {
      issue(["postprocessing", "connectivity"], `must be ${rank === 2 ? "4 or 8" : "6, 18 or 26"} for task ${c.task}`);
    }
  });

/** A validated model contract (defaults filled in). */
export type ModelContract = z.output<typeof ModelContractSchema>;
/** A model contract as written (optional fields may be absent). */
export type ModelContractInput = z.input<typeof ModelContractSchema>;
/** One validated preprocessing step. */
export type PreprocessStep = z.output<typeof PreprocessStepSchema>;
