import { dicomSegByteBound, zodIssues } from "@bcpseg/core";
import type { Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.ts";
import { multipartWatch } from "../codec/multipart.ts";
import { type InputProbe, probeInput } from "../codec/read-input.ts";
import { type ResponseFormat, responseFormat } from "../codec/response-format.ts";
import { HttpError } from "../http/http-error.ts";
import { readBody } from "../http/read-body.ts";
import { serverTiming } from "../http/server-timing.ts";
import { checkCost, maxSlices, requestCost } from "../model/request-cost.ts";
import { runSegmentJob, type SegmentJob } from "../model/segment-job.ts";
import type { ServedModel } from "../model/served-model.ts";
import { type SegmentQuery, SegmentQuerySchema } from "../schemas.ts";

/**
 * POST /v1/segment: read the body, size it (probe) and cost it against the limits (413 before any work), then
 * run the job — decode, segment, encode — inside the queue, in a pool worker where the sessions live there
 * (`ServedModel.job`) or else in this thread, all within one deadline from arrival. The answer carries
 * Server-Timing: `model` (the session runs) and `app` (this handler from start to encoded body).
 */
export function segmentRoute(app: Hono<AppEnv>, ctx: AppContext): void {
  app.post("/v1/segment", async (c) => {
    const t0 = performance.now();
    const deadline = Date.now() + ctx.limits.timeoutMs;
    const { query, model, format } = admit(ctx, c.req.query(), c.req.header("accept"));
    c.set("modelId", model.info.id);
    const key = model.info.id;
    // Shed at arrival when the queue is already full, or its expected wait outlasts the deadline: the body is
    // never read.
    ctx.limiter.checkRoom(0, { key, deadline });
    const type = c.req.header("content-type") ?? "";
    const body = await readBody(c.req.raw, ctx.limits.bodyBytes, {
      deadline,
      budget: ctx.bodies,
      retryAfterSeconds: ctx.limits.retryAfterSeconds,
      // A DICOM series' multipart body: part count and header blocks bounded as it arrives.
      onChunk: /^\s*multipart\//i.test(type) ? multipartWatch(type) : undefined,
    });
    try {
      const headers = {
        shape: c.req.header("x-shape"),
        dtype: c.req.header("x-dtype"),
        spacing: c.req.header("x-spacing"),
      };
      const contentType = c.req.header("content-type");
      const dicomLimits = {
        voxels: ctx.limits.voxels,
        decodedBytes: ctx.limits.decodedBytes,
        slices: maxSlices(model.info, ctx.limits.modelVoxels, ctx.limits.voxels),
      };
      const probe = await probeInput(body.bytes, contentType, headers, dicomLimits);
      const shape = modelShape(probe, model);
      checkFormat(format, shape, model, probe);
      const probabilities = format === "json" && query.probabilities === true;
      const rle = query.rle ?? true;
      // The SEG's size before inference: every (segment, slice) frame present, from the headers alone.
      const segBytes =
        format === "dicom-seg" && probe.segSource
          ? dicomSegByteBound(probe.segSource, model.info.contract.classes)
          : undefined;
      const cost = requestCost(model.info, probe.shape, shape, probe.decodedBytes, {
        format,
        probabilities,
        rle,
        segBytes,
      });
      checkCost(cost, ctx.limits);
      const result = await beforeDeadline(
        ctx.limiter.run(
          () => {
            const job: SegmentJob = {
              bytes: body.bytes,
              contentType,
              headers,
              format,
              largestComponent: query.largestComponent,
              probabilities,
              rle,
              slice: query.slice,
              dicomLimits,
              maxOutputBytes: cost.outputBytes,
              deadline,
              elapsedMs: performance.now() - t0,
            };
            return model.job ? model.job(job) : runSegmentJob(job, model, probe);
          },
          { cost: cost.modelVoxels, key, deadline },
        ),
        deadline,
      );
      c.header("server-timing", serverTiming({ model: result.modelMs, app: performance.now() - t0 }));
      return c.body(result.body as Uint8Array<ArrayBuffer>, 200, { "content-type": result.contentType });
    } finally {
      ctx.bodies.give(body.held);
    }
  });
}

/**
 * What the route checks of a request before anything else (and the raw fast answers before shedding it, so
 * both refuse alike): the query (400), the model (404), the response format.
 */
export function admit(
  ctx: AppContext,
  rawQuery: Record<string, string>,
  accept: string | undefined,
): { query: SegmentQuery; model: ServedModel; format: ResponseFormat } {
  const q = SegmentQuerySchema.safeParse(rawQuery);
  if (!q.success) throw new HttpError(400, "ERR_VALIDATION", "invalid query options", { details: zodIssues(q.error) });
  const query = q.data;
  const model = query.model === undefined ? ctx.defaultModel : ctx.models.get(query.model);
  if (!model) {
    throw new HttpError(404, "ERR_MODEL_NOT_FOUND", `no model "${query.model}"`, {
      details: { models: [...ctx.models.keys()] },
    });
  }
  return { query, model, format: responseFormat(query.format, accept) };
}

/**
 * `work`, or 503 ERR_TIMEOUT at the deadline if it is not done by then. The work itself goes on (a worker
 * finishes its current stage) and keeps its queue slot until it ends, so the slots stay true to the workers.
 */
function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError(503, "ERR_TIMEOUT", "the request ran past the time limit")),
      Math.max(0, deadline - Date.now()),
    );
  });
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The image's shape as the model sees it, checked before decoding: a NIfTI or DICOM [X, Y, Z] is the slice stack
 * [Z, Y, X] of a 2D model (the SimpleITK array order the 2D data were made with); everything else as sent.
 * Only for sizing and checks: the pixels are segmented in the order they came in (slicesLast).
 */
function modelShape(probe: InputProbe, model: ServedModel): number[] {
  const task = model.info.contract.task;
  if (task === "3d" && probe.shape.length !== 3) {
    throw new HttpError(
      422,
      "ERR_SHAPE",
      `model "${model.info.id}" is 3D and needs a volume [X, Y, Z], got [${probe.shape.join(", ")}]`,
    );
  }
  if (task === "2d" && probe.shape.length > 3)
    throw new HttpError(422, "ERR_SHAPE", "a 2D model takes [H, W] or [S, H, W]");
  const volume = probe.kind === "nifti" || probe.kind === "dicom";
  return task === "2d" && volume ? [...probe.shape].reverse() : [...probe.shape];
}

function checkFormat(format: ResponseFormat, shape: readonly number[], model: ServedModel, probe: InputProbe): void {
  if (format === "dicom-seg" && probe.kind !== "dicom") {
    throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "a DICOM SEG answer needs DICOM input; ask for nifti, png or json");
  }
  if (format === "png" && shape.length !== 2 && !(model.info.contract.task === "2d" && shape[0] === 1)) {
    throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "a label PNG needs a single 2D image; ask for nifti or json");
  }
  if ((format === "nifti" || format === "nifti-gz") && shape.some((d) => d > 32767)) {
    throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "NIfTI-1 sizes are at most 32767");
  }
}
