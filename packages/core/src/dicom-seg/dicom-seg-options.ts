import { z } from "zod";
import { ArgumentError } from "../errors/bcp-error.ts";
import { zodIssues } from "../errors/zod-issues.ts";
import type { Rng } from "../rng/create-rng.ts";

/** Options of the SEG writer (planDicomSeg, encodeDicomSeg, segToDicom). */
export interface DicomSegOptions {
  /** Source of the new UIDs' random bits (replayable); default the runtime's Web Crypto. */
  readonly rng?: Rng;
  /** Creation instant of the instance (content, series and instance dates, in UTC); default now. */
  readonly now?: Date;
  /** Leave out the frames of a segment on a slice where it has no pixel (default true, as highdicom does). */
  readonly omitEmptyFrames?: boolean;
  /** Refuse (ERR_SEG_TOO_LARGE) before packing when the file would be larger. */
  readonly maxBytes?: number;
  readonly seriesNumber?: number;
  readonly instanceNumber?: number;
  readonly seriesDescription?: string;
  /** ContentLabel (CS: A-Z, 0-9, space, _; at most 16); default "BCPSEG". */
  readonly contentLabel?: string;
  readonly contentDescription?: string;
  readonly contentCreatorName?: string;
  /** SegmentAlgorithmName and AlgorithmName; default "bcpseg". */
  readonly algorithmName?: string;
  /** AlgorithmVersion and SoftwareVersions; default core's version. */
  readonly algorithmVersion?: string;
  /** ManufacturerModelName (e.g. the model contract's name); default "bcpseg". */
  readonly manufacturerModelName?: string;
  readonly deviceSerialNumber?: string;
}

const lo = z
  .string()
  .max(64)
  .regex(/^[^\\\p{Cc}]*$/u, "no backslash or control characters");
const OptionsSchema = z.object({
  omitEmptyFrames: z.boolean().optional(),
  maxBytes: z.number().int().min(0).optional(),
  seriesNumber: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  instanceNumber: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  seriesDescription: lo.optional(),
  contentLabel: z
    .string()
    .regex(/^[A-Z0-9_ ]{1,16}$/, "CS is 1 to 16 of A-Z, 0-9, space, _")
    .optional(),
  contentDescription: lo.optional(),
  contentCreatorName: lo.optional(),
  algorithmName: lo.min(1).optional(),
  algorithmVersion: lo.min(1).optional(),
  manufacturerModelName: lo.min(1).optional(),
  deviceSerialNumber: lo.min(1).optional(),
  rng: z
    .custom<Rng>((r) => typeof (r as Rng | null)?.nextUint32 === "function", "must be an Rng (createRng)")
    .optional(),
  now: z
    .date()
    .refine((d) => Number.isFinite(d.getTime()), "must be a valid date")
    .optional(),
});

/** Throws an ArgumentError naming the first option (`options.<path>`) that does not validate. */
export function checkSegOptions(fn: string, options: DicomSegOptions): void {
  const o = OptionsSchema.safeParse(options);
  if (!o.success) {
    const i = zodIssues(o.error)[0];
    throw new ArgumentError(fn, `options${i.path ? `.${i.path}` : ""}`, i.message);
  }
}
