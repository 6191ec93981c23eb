import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { grayPng, modelBytes } from "../../test/helpers.ts";
import { createApp, type SegmentApp } from "../app.ts";
import type { ModelInfo } from "../model/model-info.ts";
import type { ServedModel } from "../model/served-model.ts";
import type { AppOptions, SessionHost } from "../options.ts";
import type { LogEntry } from "./logger.ts";

/** Sessions whose jobs wait until `release()`: a request holds its queue slot as long as the test wants. */
function gatedHost() {
  let open: () => void = () => {};
  let gate = new Promise<void>((r) => {
    open = r;
  });
  const host: SessionHost = {
    open: (_bytes: Uint8Array, info: ModelInfo): ServedModel => ({
      info,
      ready: Promise.resolve(),
      isReady: () => true,
      state: () => "ready",
      run: async () => new Float32Array(0),
      job: async () => {
        await gate;
        return { body: new Uint8Array([1, 2, 3]), contentType: "image/png", modelMs: 0 } as never;
      },
      dispose: async () => {},
    }),
    dispose: async () => {},
  };
  return {
    host,
    release() {
      open();
      gate = new Promise<void>((r) => {
        open = r;
      });
    },
  };
}

const png = grayPng(40, 40);
const post = (headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body: png as BodyInit,
  headers: { "content-type": "image/png", ...headers },
});
const headerOf = (h: Record<string, string>) => (name: string) => h[name];

async function busyApp(options: Partial<AppOptions> = {}) {
  const gated = gatedHost();
  const lines: LogEntry[] = [];
  const app = createApp({
    models: modelBytes(),
    sessions: gated.host,
    limits: { concurrency: 1, queue: 0, retryAfterSeconds: 3 },
    logger: (e) => lines.push(e),
    ...options,
  });
  await app.ready;
  const holding = app.request(
    "/v1/segment?format=png",
    post(options.auth ? { authorization: `Bearer ${options.auth}` } : {}),
  );
  while (app.stats().running < 1) await new Promise((r) => setTimeout(r, 1));
  return { app, lines, holding, gated };
}

const done = async (b: { app: SegmentApp; holding: Response | Promise<Response>; gated: { release(): void } }) => {
  b.gated.release();
  assert.equal((await b.holding).status, 200);
  await b.app.dispose();
};

describe("fastAnswer (the answers a transport writes without the app)", () => {
  it("answers GET /healthz as the app does, and leaves a segmentation with a free slot to the app", async () => {
    const gated = gatedHost();
    const app = createApp({ models: modelBytes(), sessions: gated.host, logger: () => {} });
    await app.ready;
    const viaApp = await app.request("/healthz", { headers: { "x-request-id": "probe-1" } });
    const fast = app.fastAnswer("GET", "/healthz", headerOf({ "x-request-id": "probe-1" }));
    assert.ok(fast);
    assert.equal(fast.status, viaApp.status);
    assert.deepEqual(JSON.parse(fast.body), await viaApp.json());
    for (const k of ["content-type", "x-request-id"]) assert.equal(fast.headers[k], viaApp.headers.get(k), k);
    assert.equal(app.fastAnswer("POST", "/v1/segment?format=png", headerOf({})), undefined);
    assert.equal(app.fastAnswer("HEAD", "/healthz", headerOf({})), undefined);
    await app.dispose();
  });

  it("refuses a segmentation shed at arrival exactly as the app: status, JSON body, Retry-After, codes, request id", async () => {
    const b = await busyApp();
    const h = { "content-type": "image/png", "x-request-id": "req-42" };
    const viaApp = await b.app.request("/v1/segment?format=png&rle=false", post({ "x-request-id": "req-42" }));
    const fast = b.app.fastAnswer("POST", "/v1/segment?format=png&rle=false", headerOf(h));
    assert.ok(fast);
    assert.equal(viaApp.status, 503);
    assert.equal(fast.status, 503);
    const body = JSON.parse(fast.body);
    assert.deepEqual(body, await viaApp.json());
    assert.equal(body.error.code, "ERR_BUSY");
    assert.equal(body.error.requestId, "req-42");
    for (const k of ["content-type", "retry-after", "x-error-code", "x-request-id"])
      assert.equal(fast.headers[k], viaApp.headers.get(k), k);
    assert.equal(fast.headers["retry-after"], "3");
    await done(b);
  });

  it("leaves to the app whatever it would answer otherwise: a bad query, an unknown model, a repeated key, other routes", async () => {
    const b = await busyApp();
    for (const url of [
      "/v1/segment?format=bogus",
      "/v1/segment?model=nope",
      "/v1/segment?rle=true&rle=false",
      "/v1/segmentx",
      "/v1/models",
    ]) {
      assert.equal(b.app.fastAnswer("POST", url, headerOf({})), undefined, url);
    }
    assert.equal((await b.app.request("/v1/segment?format=bogus", post())).status, 400);
    assert.equal((await b.app.request("/v1/segment?model=nope", post())).status, 404);
    await done(b);
  });

  it("leaves everything to the app when it checks a bearer token or adds CORS headers", async () => {
    const authed = await busyApp({ auth: "s3cret" });
    assert.equal(authed.app.fastAnswer("POST", "/v1/segment", headerOf({ authorization: "Bearer s3cret" })), undefined);
    authed.gated.release();
    await authed.holding;
    await authed.app.dispose();
    const cors = await busyApp({ cors: true });
    assert.equal(cors.app.fastAnswer("GET", "/healthz", headerOf({})), undefined);
    assert.equal(cors.app.fastAnswer("POST", "/v1/segment", headerOf({})), undefined);
    await done(cors);
  });

  it("logs its answers like the app: /healthz per request, shed refusals once a second with the count", async () => {
    const b = await busyApp();
    for (let i = 0; i < 5; i++) assert.ok(b.app.fastAnswer("POST", "/v1/segment?format=png", headerOf({})));
    await b.app.request("/v1/segment?format=png", post()); // the app's own refusal counts in the same tally
    assert.ok(b.app.fastAnswer("GET", "/healthz", headerOf({})));
    const shed = b.lines.filter((l) => l.code === "ERR_BUSY");
    assert.equal(shed.length, 1);
    assert.equal(shed[0].shed, 1);
    assert.equal(shed[0].status, 503);
    assert.equal(shed[0].level, "warn");
    assert.equal(shed[0].model, "unet2d-64");
    assert.equal(shed[0].path, "/v1/segment");
    await new Promise((r) => setTimeout(r, 1050));
    assert.ok(b.app.fastAnswer("POST", "/v1/segment", headerOf({})));
    const after = b.lines.filter((l) => l.code === "ERR_BUSY");
    assert.equal(after.length, 2);
    assert.equal(after[1].shed, 6); // 4 more fast, 1 by the app, and this one
    const health = b.lines.filter((l) => l.path === "/healthz");
    assert.equal(health.length, 1);
    assert.equal(health[0].status, 200);
    await done(b);
  });
});
