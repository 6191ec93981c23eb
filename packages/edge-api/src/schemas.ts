import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .optional();

/** Query options of POST /v1/segment. */
export const SegmentQuerySchema = z.strictObject({
  model: z.string().min(1).max(128).optional().describe("Model id (default: the first model)"),
  format: z
    .enum(["json", "png", "overlay", "nifti", "nifti-gz", "dicom-seg"])
    .optional()
    .describe(
      "Response format; without it the Accept header decides, JSON by default. dicom-seg (DICOM input only): a binary DICOM Segmentation referencing the source series",
    ),
  largestComponent: flag.describe("Keep the largest connected component per class (default: the model contract)"),
  probabilities: flag.describe("JSON only: include class probabilities (float32, base64)"),
  rle: flag.describe("JSON only: include run-length masks (default true)"),
  slice: z.coerce.number().int().min(0).optional().describe("Overlay: slice index of a stack/volume (default middle)"),
});
export type SegmentQuery = z.output<typeof SegmentQuerySchema>;

/** A raw float32 array sent as JSON. */
export const RawJsonBodySchema = z.strictObject({
  data: z.base64().describe("Little-endian float32 values, base64"),
  shape: z.array(z.number().int().positive()).min(2).max(3).describe("[H, W], [S, H, W] or [X, Y, Z]"),
  dtype: z.literal("float32").default("float32"),
  spacing: z.array(z.number().positive()).min(2).max(3).optional().describe("Voxel size per axis"),
});

/** The one error body of every 4xx/5xx answer. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string().describe("Stable machine-readable code, e.g. ERR_SHAPE"),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

const RleSchema = z.object({
  order: z.literal("row-major"),
  counts: z.array(z.number().int()).describe("Alternating run lengths of 0 and 1, starting with 0"),
});

/** One class in a JSON segmentation answer. */
export const ClassSummarySchema = z.object({
  index: z.number().int(),
  name: z.string(),
  color: z.string(),
  voxels: z.number().int(),
  volume: z.number().describe("voxels x product of the spacing"),
  bbox: z.object({ min: z.array(z.number().int()), max: z.array(z.number().int()) }).nullable(),
  rle: RleSchema.optional(),
});

/** JSON answer of POST /v1/segment. */
export const SegmentResponseSchema = z.object({
  model: z.object({ id: z.string(), sha256: z.string().nullable() }),
  input: z.object({
    kind: z.enum(["png", "raw", "nifti", "dicom"]),
    shape: z.array(z.number().int()),
    spacing: z.array(z.number()),
  }),
  shape: z.array(z.number().int()),
  spacing: z.array(z.number()),
  unit: z
    .string()
    .describe("Unit of the volumes (mm^3 for NIfTI in mm and DICOM with patient geometry, else voxel units)"),
  classes: z.array(ClassSummarySchema),
  probabilities: z
    .object({ dtype: z.literal("float32"), shape: z.array(z.number().int()), data: z.string() })
    .optional(),
  timing: z.object({ totalMs: z.number(), runs: z.number().int() }),
});

/** One model in GET /v1/models. */
export const ModelSummarySchema = z.object({
  id: z.string(),
  ready: z.boolean(),
  sha256: z.string().nullable(),
  precision: z.string().nullable(),
  task: z.enum(["2d", "3d"]),
  inputSize: z.array(z.number().int()),
  classes: z.array(z.object({ index: z.number().int(), name: z.string(), color: z.string() })),
  contract: z.record(z.string(), z.unknown()),
});

export const ModelsResponseSchema = z.object({ models: z.array(ModelSummarySchema) });
export const HealthResponseSchema = z.object({ status: z.literal("ok") });
export const ReadyResponseSchema = z.object({
  status: z.enum(["ready", "loading", "failed"]),
  models: z.array(z.object({ id: z.string(), ready: z.boolean() })),
});
