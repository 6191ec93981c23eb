import { encodeNifti, encodePng, reverseAxes, zodIssues } from "@bcpseg/core";
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
      const shape = arrangedShape(probe, model);
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
          const arranged = arrange(image, model);
          const timed = timedModel(model);
          const seg = await segment(timed.model, arranged, {
            largestComponent: query.largestComponent,
            probabilities,
            deadline,
          });
          checkDeadline(deadline);
          // Set just before the body goes out, so `app` includes the encoding.
          const stamp = () =>
            c.header("server-timing", serverTiming({ model: timed.ms(), app: performance.now() - t0 }));
          return await answer(c, format, query, model, image, arranged, seg, performance.now() - t0, stamp);
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
 * The shape the model takes the image in, checked before decoding: NIfTI [X, Y, Z] becomes the slice stack
 * [Z, Y, X] for a 2D model (the SimpleITK array order the 2D data were made with); everything else stays as sent.
 */
function arrangedShape(probe: InputProbe, model: ServedModel): number[] {
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

/** The decoded image as the model takes it (see arrangedShape). */
function arrange(image: InputImage, model: ServedModel): { data: Float32Array; shape: number[]; reversed: boolean } {
  if (model.info.contract.task === "2d" && image.kind === "nifti")
    return { ...reverseAxes(image.data, image.shape), reversed: true };
  return { data: image.data, shape: image.shape, reversed: false };
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
  arranged: { data: Float32Array; shape: number[]; reversed: boolean },
  seg: Awaited<ReturnType<typeof segment>>,
  ms: number,
  stamp: () => void,
): Promise<Response> {
  const contract = model.info.contract;
  // Labels back in the layout the image was sent in.
  const labels = arranged.reversed ? reverseAxes(seg.labels, seg.shape).data : seg.labels;
  const shape = image.shape;
  if (format === "overlay") {
    const stack = overlayStack(arranged, seg.labels, contract.task);
    const s = query.slice ?? Math.floor(stack.slices / 2);
    if (s >= stack.slices) throw new HttpError(400, "ERR_VALIDATION", `slice ${s} is out of ${stack.slices} slices`);
    const n = stack.h * stack.w;
    const png = await overlayPng(
      stack.gray.subarray(s * n, (s + 1) * n),
      stack.labels.subarray(s * n, (s + 1) * n),
      stack.h,
      stack.w,
      contract,
    );
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
    let p = seg.probs;
    if (arranged.reversed) {
      const n = labels.length;
      p = new Float32Array(p.length);
      for (let k = 0; k < seg.classes; k++)
        p.set(reverseAxes(seg.probs.subarray(k * n, (k + 1) * n), seg.shape).data, k * n);
    }
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

/** The image and labels as a stack of viewable slices [S, H, W]: 2D models as segmented, 3D volumes along Z. */
function overlayStack(arranged: { data: Float32Array; shape: number[] }, labels: Uint8Array, task: "2d" | "3d") {
  if (task === "3d") {
    const g = reverseAxes(arranged.data, arranged.shape);
    return {
      gray: g.data,
      labels: reverseAxes(labels, arranged.shape).data,
      slices: g.shape[0],
      h: g.shape[1],
      w: g.shape[2],
    };
  }
  const s = arranged.shape;
  const [slices, h, w] = s.length === 2 ? [1, s[0], s[1]] : s;
  return { gray: arranged.data, labels, slices, h, w };
}
