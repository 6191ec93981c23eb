import { type EncodedAnswer, encodeAnswer, xyz } from "../codec/encode-answer.ts";
import type { InputImage } from "../codec/input-image.ts";
import { type InputProbe, probeInput } from "../codec/read-input.ts";
import type { ResponseFormat } from "../codec/response-format.ts";
import { HttpError } from "../http/http-error.ts";
import { segment } from "./segment.ts";
import type { ServedModel } from "./served-model.ts";

/**
 * Everything one accepted segmentation needs after it was costed, as plain data a worker can be sent: the body
 * as received, the headers that describe it, the answer's options and the request's deadline.
 */
export interface SegmentJob {
  readonly bytes: Uint8Array;
  readonly contentType?: string;
  readonly headers: { readonly shape?: string; readonly dtype?: string; readonly spacing?: string };
  readonly format: ResponseFormat;
  readonly largestComponent?: boolean;
  readonly probabilities: boolean;
  readonly rle: boolean;
  readonly slice?: number;
  /** The app's limits DICOM headers are read under (the probe's, again where the job runs). */
  readonly dicomLimits?: { readonly voxels: number; readonly decodedBytes: number; readonly slices?: number };
  /** The answer's bound the route costed (a DICOM SEG is refused past it before packing). */
  readonly maxOutputBytes?: number;
  /** Date.now() past which no further stage (decode, model run, encode) starts: 503 ERR_TIMEOUT. */
  readonly deadline: number;
  /** ms of the request before the job started (the JSON answer's `timing.totalMs` counts from arrival). */
  readonly elapsedMs: number;
}

/** A job's answer and the ms its model runs took (Server-Timing `model`). */
export interface JobResult extends EncodedAnswer {
  readonly modelMs: number;
}

/**
 * Runs one job on `model` wherever it is called (the request's thread, or a pool worker that holds the
 * session): decode the body, segment with core's pipeline, encode the answer, checking the deadline between
 * stages. Decoding is bounded by the sizes the probe read and the route costed; `probe` is the route's own
 * (in the same thread), else the body is probed again here.
 */
export async function runSegmentJob(job: SegmentJob, model: ServedModel, probe?: InputProbe): Promise<JobResult> {
  const t0 = performance.now();
  checkDeadline(job.deadline);
  probe ??= await probeInput(job.bytes, job.contentType, job.headers, job.dicomLimits);
  const image = await probe.decode();
  checkDeadline(job.deadline);
  let modelMs = 0;
  const timed: ServedModel = {
    ...model,
    run: async (input, shape) => {
      const t = performance.now();
      try {
        return await model.run(input, shape);
      } finally {
        modelMs += performance.now() - t;
      }
    },
  };
  const last = slicesLast(image, model);
  const seg = await segment(timed, last ? { data: image.data, shape: xyz(image.shape) } : image, {
    largestComponent: job.largestComponent,
    probabilities: job.probabilities,
    slicesLast: last,
    deadline: job.deadline,
  });
  checkDeadline(job.deadline);
  const { info } = model;
  const answer = await encodeAnswer(
    image,
    seg,
    { id: info.id, sha256: info.sha256, contract: info.contract },
    { format: job.format, rle: job.rle, slice: job.slice, maxBytes: job.maxOutputBytes },
    () => job.elapsedMs + performance.now() - t0,
  );
  return { ...answer, modelMs };
}

export function checkDeadline(deadline: number): void {
  if (Date.now() > deadline) throw new HttpError(503, "ERR_TIMEOUT", "the request ran past the time limit");
}

/** A NIfTI or DICOM volume [X, Y, Z] meets a 2D model slice by slice along Z, in the volume's own axis order. */
function slicesLast(image: InputImage, model: ServedModel): boolean {
  return model.info.contract.task === "2d" && (image.kind === "nifti" || image.kind === "dicom");
}
