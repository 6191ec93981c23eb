import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppContext, AppEnv } from "./app-context.ts";
import { bearerAuth } from "./http/bearer-auth.ts";
import { ByteBudget } from "./http/byte-budget.ts";
import { errorResponse } from "./http/error-response.ts";
import { type FastAnswers, fastAnswers } from "./http/fast-answer.ts";
import { Limiter } from "./http/limiter.ts";
import { jsonLogger } from "./http/logger.ts";
import { allowedMethods, noRoute } from "./http/method-not-allowed.ts";
import { requestIdOf } from "./http/request-id.ts";
import { readModelInfo } from "./model/model-info.ts";
import { ModelLoadError } from "./model/model-load-error.ts";
import { defaultOrt } from "./model/ort.ts";
import { type ServedModel, serveModel } from "./model/served-model.ts";
import { TensorLedger } from "./model/tensor-ledger.ts";
import type { AppOptions, ModelSource } from "./options.ts";
import { resolveLimits } from "./options.ts";
import { healthRoutes } from "./routes/health-routes.ts";
import { modelRoutes } from "./routes/model-routes.ts";
import { pageRoutes } from "./routes/page-routes.ts";
import { segmentRoute } from "./routes/segment-route.ts";
import { EDGE_API_VERSION } from "./version.ts";

/** Counters of a running app (what the leak tests watch). */
export interface AppStats {
  readonly liveTensors: number;
  readonly tensorsCreated: number;
  readonly running: number;
  readonly queued: number;
}

/** The Hono app plus its lifecycle: `ready` resolves when every session is open. */
export type SegmentApp = Hono<AppEnv> & {
  readonly ready: Promise<void>;
  readonly models: readonly ServedModel[];
  /**
   * The answers a transport may write without the app (GET /healthz, a shed 503 ERR_BUSY), from the method, URL
   * and headers alone; undefined leaves the request to `fetch`. The Node entry uses it in its raw listener.
   */
  readonly fastAnswer: FastAnswers;
  stats(): AppStats;
  dispose(): Promise<void>;
};

/**
 * {@link createApp}, resolved once every model's session is open (`ready`); on a failure the app is disposed (its
 * workers too) and the error thrown. What the server entries (Node, Bun, Deno) start before they listen.
 */
export async function startApp(options: AppOptions): Promise<SegmentApp> {
  const app = createApp(options);
  await app.ready.catch(async (e: unknown) => {
    await app.dispose();
    throw e;
  });
  return app;
}

/**
 * Builds the segmentation service from Web APIs only. Each model's contract is read from its ONNX metadata and
 * validated at once (a bad one throws ModelLoadError ERR_MODEL_CONTRACT); its one onnxruntime session opens in
 * the background (`ready`, GET /readyz) and serves every request.
 */
export function createApp(options: AppOptions): SegmentApp {
  const sources = [...(options.model === undefined ? [] : [options.model]), ...(options.models ?? [])];
  if (sources.length === 0) throw new ModelLoadError("ERR_MODEL_ARGUMENT", "createApp: pass `model` or `models`");
  const limits = resolveLimits(options.limits);
  const ort = options.ort ?? defaultOrt;
  ort.env.wasm.numThreads = options.threads ?? 1;
  const ledger = new TensorLedger();
  const models = new Map<string, ServedModel>();
  const seen = new Set<string>();
  const infos = sources.map((s, i) => {
    const { id, bytes } = normalise(s, i);
    const info = readModelInfo(bytes, id);
    if (seen.has(info.id))
      throw new ModelLoadError("ERR_MODEL_ARGUMENT", `createApp: two models are called "${info.id}"`);
    seen.add(info.id);
    return { info, bytes };
  });
  for (const { info, bytes } of infos) {
    const warmup = { warmup: options.warmup };
    models.set(info.id, options.sessions?.open(bytes, info, warmup) ?? serveModel(bytes, info, ort, ledger, warmup));
  }
  const tokens =
    options.auth === undefined ? [] : typeof options.auth === "string" ? [options.auth] : [...options.auth];
  const logger = options.logger ?? jsonLogger;
  // Shed refusals (503 ERR_BUSY) are logged at most once a second, each line counting the refusals since the
  // last one (`shed`): under a flood a line per refusal was a tenth of the event loop's time and a disk filler.
  let shedSince = 0;
  let shedLast = Number.NEGATIVE_INFINITY;
  const ctx: AppContext = {
    models,
    defaultModel: models.values().next().value as ServedModel,
    limits,
    limiter: new Limiter({
      concurrency: limits.concurrency,
      queue: limits.queue,
      queueCost: limits.queueVoxels,
      retryAfterSeconds: limits.retryAfterSeconds,
    }),
    bodies: new ByteBudget(limits.bufferedBytes),
    ledger,
    logger,
    auth: tokens.length > 0,
    cors: !!options.cors,
    logRequest: (r) => {
      let shed: number | undefined;
      if (r.code === "ERR_BUSY") {
        shedSince++;
        const now = performance.now();
        if (now - shedLast < 1000) return;
        shed = shedSince;
        shedSince = 0;
        shedLast = now;
      }
      logger({
        // A 503 is load shedding or shutdown, working as meant: a warning, not an error.
        level: r.status >= 500 && r.status !== 503 ? "error" : r.status >= 400 ? "warn" : "info",
        msg: "request",
        requestId: r.requestId,
        method: r.method,
        path: r.path,
        status: r.status,
        ms: Math.round((performance.now() - r.t0) * 100) / 100,
        ...(r.model ? { model: r.model } : {}),
        ...(r.code ? { code: r.code } : {}),
        ...(shed === undefined ? {} : { shed }),
      });
    },
  };
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const id = requestIdOf(c.req.header("x-request-id"));
    c.set("requestId", id);
    // Set before the handler answers: a header added to a finished response makes Hono rebuild it (on Node a
    // full Response with a body stream), which was most of the cost of a shed request.
    c.header("x-request-id", id);
    const t0 = performance.now();
    await next();
    ctx.logRequest({
      requestId: id,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      t0,
      model: c.get("modelId"),
      code: c.get("errorCode"),
    });
  });
  if (options.cors) {
    const o = options.cors === true ? "*" : options.cors.origin;
    app.use(
      cors({
        origin: typeof o === "string" ? o : [...o],
        maxAge: options.cors === true ? undefined : options.cors.maxAge,
        exposeHeaders: ["x-request-id", "retry-after"],
      }),
    );
  }
  if (tokens.length > 0) app.use("/v1/*", bearerAuth(tokens));
  healthRoutes(app, ctx);
  modelRoutes(app, ctx);
  segmentRoute(app, ctx);
  pageRoutes(app, { page: options.page ?? true, auth: ctx.auth, version: EDGE_API_VERSION });
  const allowed = allowedMethods(app, { cors: !!options.cors });
  app.notFound((c) => {
    throw noRoute(allowed, c.req.method, c.req.path);
  });
  app.onError((err, c) => {
    const r = errorResponse(err, c.get("requestId"));
    if (r.status >= 500 && r.body.error.code === "ERR_INTERNAL") {
      ctx.logger({
        level: "error",
        msg: "unhandled error",
        requestId: c.get("requestId"),
        error: String(err),
        stack: (err as Error).stack,
      });
    }
    c.set("errorCode", r.body.error.code);
    return c.json(r.body, r.status as 400, { ...r.headers, "x-error-code": r.body.error.code });
  });
  const served = [...models.values()];
  const ready = Promise.all(served.map((m) => m.ready)).then(() => {});
  ready.catch(() => {});
  return Object.assign(app, {
    ready,
    models: served,
    fastAnswer: fastAnswers(ctx),
    stats: (): AppStats => ({
      liveTensors: ledger.live,
      tensorsCreated: ledger.created,
      running: ctx.limiter.running,
      queued: ctx.limiter.waiting,
    }),
    dispose: async () => {
      await Promise.all(served.map((m) => m.dispose()));
      await options.sessions?.dispose();
    },
  });
}

function normalise(s: ModelSource, i: number): { id?: string; bytes: Uint8Array } {
  const asBytes = (b: unknown): Uint8Array => {
    if (b instanceof Uint8Array) return b;
    if (b instanceof ArrayBuffer) return new Uint8Array(b);
    throw new ModelLoadError(
      "ERR_MODEL_ARGUMENT",
      `createApp: model ${i} must be a Uint8Array, ArrayBuffer or { id, bytes }`,
    );
  };
  if (s instanceof Uint8Array || s instanceof ArrayBuffer) return { bytes: asBytes(s) };
  return { id: s.id, bytes: asBytes(s.bytes) };
}
