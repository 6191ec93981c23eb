import { encodeNifti, encodePng, readStackSlice, zodIssues } from "@bcpseg/core";
import type { Context, Hono } from "hono";
import type { AppContext, AppEnv } from "../app-context.ts";
import { toBase64 } from "../codec/base64.ts";
import type { InputImage } from "../codec/input-image.ts";
import { overlayPng } from "../codec/overlay-png.ts";
import { type InputProbe, probeInput } from "../codec/read-input.ts";
import { type ResponseFormat, responseFormat } from "../codec/response-format.ts";
import { summarize } from "../codec/summarize.ts";

import { HttpError } from "../http/http-error.ts";
import { readBody } from "../http/read-body.ts";
import { serverTiming } from "../http/server-timing.ts";
import { checkCost, requestCost } from "../model/request-cost.ts";
import { segment } from "../model/segment.ts";
import type { ServedModel } from "../model/served-model.ts";
import { type SegmentQuery, SegmentQuerySchema } from "../schemas.ts";

/**
 * POST /v1/segment: read the body, size it (probe) and cost it against the limits (413 before any work), then
 * decode, segment and encode inside the queue, all within one deadline from arrival. The answer carries
 * Server-Timing: `model` (the session runs) and `app` (this handler from start to encoded body).
 */
export function segmentRoute(app: Hono<AppEnv>, ctx: AppContext): void {
  app.post("/v1/segment", async (c) => {
    const t0 = performance.now();
    const deadline = Date.now() + ctx.limits.timeoutMs;
    const q = SegmentQuerySchema.safeParse(c.req.query());
    if (!q.success)
      throw new HttpError(400, "ERR_VALIDATION", "invalid query options", { details: zodIssues(q.error) });
    const query = q.data;
    const model = query.model === undefined ? ctx.defaultModel : ctx.models.get(query.model);
    if (!model) {
      throw new HttpError(404, "ERR_MODEL_NOT_FOUND", `no model "${query.model}"`, {
        details: { models: [...ctx.models.keys()] },
      });
    }
    c.set("modelId", model.info.id);
    const format = responseFormat(query.format, c.req.header("accept"));
    // Shed at arrival when the queue is already full: the body is never read.
    ctx.limiter.checkRoom();
    const body = await readBody(c.req.raw, ctx.limits.bodyBytes, {
      deadline,
      budget: ctx.bodies,
      retryAfterSeconds: ctx.limits.retryAfterSeconds,
    });
    try {
      const probe = await probeInput(body.bytes, c.req.header("content-type"), {
        shape: c.req.header("x-shape"),
        dtype: c.req.header("x-dtype"),
        spacing: c.req.header("x-spacing"),
      });
      const shape = modelShape(probe, model);
      checkFormat(format, shape, model);
      const probabilities = format === "json" && query.probabilities === true;
      const cost = requestCost(model.info, probe.shape, shape, probe.decodedBytes, {
        format,
        probabilities,
        rle: query.rle ?? true,
      });
      checkCost(cost, ctx.limits);
      return await ctx.limiter.run(
        async () => {
          checkDeadline(deadline);
          const image = await probe.decode();
          const timed = timedModel(model);
          const last = slicesLast(image, model);
          const seg = await segment(timed.model, last ? { data: image.data, shape: xyz(image.shape) } : image, {
            largestComponent: query.largestComponent,
            probabilities,
            slicesLast: last,
            deadline,
          });
          checkDeadline(deadline);
          // Set just before the body goes out, so `app` includes the encoding.
          const stamp = () =>
            c.header("server-timing", serverTiming({ model: timed.ms(), app: performance.now() - t0 }));
          return await answer(c, format, query, model, image, seg, performance.now() - t0, stamp);
        },
        { cost: cost.modelVoxels, deadline },
      );
    } finally {
      ctx.bodies.give(body.held);
    }
  });
}

function checkDeadline(deadline: number): void {
  if (Date.now() > deadline) throw new HttpError(503, "ERR_TIMEOUT", "the request ran past the time limit");
}

/** `model` with its run() timed: ms() is the total time spent in session runs so far. */
function timedModel(model: ServedModel): { model: ServedModel; ms(): number } {
  let ms = 0;
  const run: ServedModel["run"] = async (input, shape) => {
    const t = performance.now();
    try {
      return await model.run(input, shape);
    } finally {
      ms += performance.now() - t;
    }
  };
  return { model: { ...model, run }, ms: () => ms };
}

/**
 * The image's shape as the model sees it, checked before decoding: a NIfTI [X, Y, Z] is the slice stack
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
  return task === "2d" && probe.kind === "nifti" ? [...probe.shape].reverse() : [...probe.shape];
}

/** A NIfTI volume [X, Y, Z] meets a 2D model slice by slice along Z, in the volume's own axis order. */
function slicesLast(image: InputImage, model: ServedModel): boolean {
  return model.info.contract.task === "2d" && image.kind === "nifti";
}

/** A NIfTI image as [X, Y, Z] (a 2-D one [X, Y] is one slice, [X, Y, 1]; same data). */
function xyz(shape: readonly number[]): number[] {
  return shape.length === 2 ? [...shape, 1] : [...shape];
}

function checkFormat(format: ResponseFormat, shape: readonly number[], model: ServedModel): void {
  if (format === "png" && shape.length !== 2 && !(model.info.contract.task === "2d" && shape[0] === 1)) {
    throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "a label PNG needs a single 2D image; ask for nifti or json");
  }
  if ((format === "nifti" || format === "nifti-gz") && shape.some((d) => d > 32767)) {
    throw new HttpError(406, "ERR_NOT_ACCEPTABLE", "NIfTI-1 sizes are at most 32767");
  }
}

async function answer(
  c: Context<AppEnv>,
  format: ResponseFormat,
  query: SegmentQuery,
  model: ServedModel,
  image: InputImage,
  seg: Awaited<ReturnType<typeof segment>>,
  ms: number,
  stamp: () => void,
): Promise<Response> {
  const contract = model.info.contract;
  // Labels come back in the layout the image was sent in.
  const labels = seg.labels;
  const shape = image.shape;
  if (format === "overlay") {
    const view = overlaySlice(image, labels, contract.task, query.slice);
    const png = await overlayPng(view.gray, view.labels, view.h, view.w, contract);
    stamp();
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { "content-type": "image/png" });
  }
  if (format === "png") {
    const [h, w] = shape.slice(-2);
    const png = encodePng(
      { data: labels, width: w, height: h, channels: 1, bitDepth: 8 },
      // Label maps are runs: the inline deflate makes them small without a thread-pool round trip per request.
      { filter: 0, level: 1 },
    );
    stamp();
    return c.body(png as Uint8Array<ArrayBuffer>, 200, { "content-type": "image/png" });
  }
  if (format === "nifti" || format === "nifti-gz") {
    const gzip = format === "nifti-gz";
    const nii = encodeNifti({
      data: labels,
      shape,
      dtype: "uint8",
      header: image.nifti?.header,
      spacing: image.nifti ? undefined : image.spacing,
      gzip,
    });
    stamp();
    return c.body(nii as Uint8Array<ArrayBuffer>, 200, {
      "content-type": gzip ? "application/gzip" : "application/x-nifti",
    });
  }
  let probabilities: { dtype: "float32"; shape: number[]; data: string } | undefined;
  if (seg.probs) {
    const p = seg.probs;
    probabilities = {
      dtype: "float32",
      shape: [seg.classes, ...shape],
      data: toBase64(new Uint8Array(p.buffer, p.byteOffset, p.byteLength)),
    };
  }
  const body = {
    model: { id: model.info.id, sha256: model.info.sha256 ?? null },
    input: { kind: image.kind, shape, spacing: image.spacing },
    shape,
    spacing: image.spacing,
    unit: image.unit === "mm" ? "mm^3" : "voxel",
    classes: summarize(labels, shape, image.spacing, contract, { rle: query.rle ?? true }),
    ...(probabilities ? { probabilities } : {}),
    timing: { totalMs: Math.round(ms * 100) / 100, runs: seg.runs },
  };
  stamp();
  return c.json(body);
}

/**
 * One viewable slice [H, W] of the image and its labels: a 2D model's slice as segmented; a volume [X, Y, Z]
 * (NIfTI to a 2D model, or any 3D model) along Z, the [Y, X] image — read in place, nothing transposed.
 * `slice` defaults to the middle one; past the end is ERR_VALIDATION.
 */
function overlaySlice(image: InputImage, labels: Uint8Array, task: "2d" | "3d", slice: number | undefined) {
  const last = task === "3d" || image.kind === "nifti";
  const s = last ? xyz(image.shape) : image.shape;
  const [slices, h, w] = last ? [s[2], s[1], s[0]] : s.length === 2 ? [1, s[0], s[1]] : s;
  const k = slice ?? Math.floor(slices / 2);
  if (k >= slices) throw new HttpError(400, "ERR_VALIDATION", `slice ${k} is out of ${slices} slices`);
  const shape = last ? s : [slices, h, w];
  const gray = new Float32Array(h * w);
  const lab = new Uint8Array(h * w);
  readStackSlice(image.data, shape, last, k, gray);
  readStackSlice(labels, shape, last, k, lab);
  return { gray, labels: lab, h, w };
}
