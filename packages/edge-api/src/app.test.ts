import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixture, grayPng, MODELS, modelBytes, niftiVolume } from "../test/helpers.ts";
import { assertError } from "../test/route-suite.ts";
import { createApp } from "./app.ts";
import type { LogEntry } from "./http/logger.ts";
import { silentLogger } from "./http/logger.ts";
import { ModelLoadError } from "./model/model-load-error.ts";
import { defaultOrt, type OrtModule } from "./model/ort.ts";

const png = () => grayPng(40, 40);
const postPng = async (extra: Record<string, string> = {}): Promise<RequestInit> => ({
  method: "POST",
  body: (await png()) as BodyInit,
  headers: { "content-type": "image/png", ...extra },
});

/** The fixture with `from` replaced by `to` (same length) inside its metadata. */
function patched(name: string, from: string, to: string): Uint8Array {
  const bytes = fixture(name).slice();
  const text = new TextDecoder("latin1").decode(bytes);
  const at = text.indexOf(from);
  assert.ok(at > 0 && from.length === to.length);
  bytes.set(new TextEncoder().encode(to), at);
  return bytes;
}

describe("createApp", () => {
  it("refuses a model without a contract, or with an invalid one, at start (ERR_MODEL_CONTRACT)", () => {
    const check = (bytes: Uint8Array, re: RegExp) =>
      assert.throws(
        () => createApp({ model: bytes, logger: silentLogger }),
        (e: unknown) => e instanceof ModelLoadError && e.code === "ERR_MODEL_CONTRACT" && re.test(e.message),
      );
    check(patched(MODELS.unet2d, "bcpseg.contract", "bcpseg.contraxt"), /no "bcpseg.contract" metadata/);
    check(patched(MODELS.unet2d, '"task":"2d"', '"task":"4d"'), /task/);
    assert.throws(() => createApp({ model: new Uint8Array([0x0a, 0xff]) }), { code: "ERR_MODEL_FORMAT" });
    assert.throws(() => createApp({ models: [] }), { code: "ERR_MODEL_ARGUMENT" });
    assert.throws(() => createApp({ models: [fixture(MODELS.unet2d), fixture(MODELS.unet2dFp32)] }), {
      code: "ERR_MODEL_ARGUMENT",
    });
  });

  it("serves two copies of a model under given ids; /readyz says loading before the session opens", async () => {
    const app = createApp({
      models: [
        { id: "a", bytes: fixture(MODELS.unet2d) },
        { id: "b", bytes: fixture(MODELS.unet2dFp32) },
      ],
      logger: silentLogger,
    });
    const early = await app.request("/readyz");
    assert.equal(early.status, 503);
    assert.equal((await early.json()).status, "loading");
    await app.ready;
    assert.equal((await app.request("/readyz")).status, 200);
    assert.equal((await app.request("/v1/segment?model=b", await postPng())).status, 200);
    await app.dispose();
  });

  it("requires the bearer token on /v1/* only, compared in constant time", async () => {
    const app = createApp({ models: modelBytes(), auth: ["s3cret", "other"], logger: silentLogger });
    await app.ready;
    const e = await assertError(await app.request("/v1/models"), 401, "ERR_UNAUTHORIZED");
    assert.match(e.message, /missing/);
    const wrong = await app.request("/v1/models", { headers: { authorization: "Bearer s3creT" } });
    await assertError(wrong, 401, "ERR_UNAUTHORIZED");
    assert.equal(wrong.headers.get("www-authenticate"), 'Bearer realm="bcpseg", error="invalid_token"');
    // A header that is there but not `Bearer <token>` is reported as malformed, not as missing.
    for (const authorization of ["Basic czNjcmV0", "Bearer", "Bearer a b", "s3cret", "Bearer\ts3cret extra"]) {
      const r = await app.request("/v1/models", { headers: { authorization } });
      const m = await assertError(r, 401, "ERR_UNAUTHORIZED");
      assert.match(m.message, /malformed/, authorization);
      assert.deepEqual(m.details, { reason: "malformed" });
      assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="bcpseg", error="invalid_request"');
    }
    assert.equal((await app.request("/v1/models", { headers: { authorization: "Bearer other" } })).status, 200);
    assert.equal((await app.request("/v1/segment", await postPng({ authorization: "bearer s3cret" }))).status, 200);
    assert.equal((await app.request("/healthz")).status, 200);
    const doc = await (await app.request("/openapi.json")).json();
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    await app.dispose();
  });

  it("answers CORS preflights for the configured origin", async () => {
    const app = createApp({ models: modelBytes(), cors: { origin: ["https://a.example"] }, logger: silentLogger });
    const r = await app.request("/v1/segment", {
      method: "OPTIONS",
      headers: { origin: "https://a.example", "access-control-request-method": "POST" },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get("access-control-allow-origin"), "https://a.example");
    const other = await app.request("/healthz", { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    await app.dispose();
  });

  it("limits body size and voxel count with 413", async () => {
    const app = createApp({ models: modelBytes(), limits: { bodyBytes: 500, voxels: 1000 }, logger: silentLogger });
    await app.ready;
    const big = new Uint8Array(600);
    await assertError(
      await app.request("/v1/segment", {
        method: "POST",
        body: big as BodyInit,
        headers: { "content-type": "image/png" },
      }),
      413,
      "ERR_BODY_TOO_LARGE",
    );
    await assertError(await app.request("/v1/segment", await postPng()), 413, "ERR_TOO_MANY_VOXELS");
    const raw = {
      method: "POST",
      body: new Uint8Array(16) as BodyInit,
      headers: { "content-type": "application/octet-stream", "x-shape": "100,100" },
    };
    await assertError(await app.request("/v1/segment", raw), 413, "ERR_TOO_MANY_VOXELS");
    await app.dispose();
  });

  it("answers 503 with Retry-After when the queue is full", async () => {
    const app = createApp({
      models: modelBytes(),
      limits: { concurrency: 1, queue: 1, retryAfterSeconds: 7 },
      logger: silentLogger,
    });
    await app.ready;
    // 3D volumes of four windows each: long enough that all four requests meet in the queue.
    const vol = new Uint8Array(new Float32Array(40 * 34 * 20).fill(1).buffer);
    const init = {
      method: "POST",
      body: vol as BodyInit,
      headers: { "content-type": "application/octet-stream", "x-shape": "40,34,20" },
    };
    const rs = await Promise.all([1, 2, 3, 4].map(() => app.request("/v1/segment?model=vnet3d-32&rle=false", init)));
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 200, 503, 503]);
    const busy = rs.find((r) => r.status === 503) as Response;
    assert.equal(busy.headers.get("retry-after"), "7");
    await assertError(busy, 503, "ERR_BUSY");
    assert.equal(app.stats().running, 0);
    await app.dispose();
  });

  it("logs shed refusals at most once a second, each line counting the refusals since the last", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = createApp({
      models: modelBytes(),
      limits: { concurrency: 1, queue: 0 },
      logger: (e) => lines.push(e),
    });
    await app.ready;
    const vol = new Uint8Array(new Float32Array(64 * 64 * 64).fill(1).buffer);
    const init = () => ({
      method: "POST",
      body: vol as BodyInit,
      headers: { "content-type": "application/octet-stream", "x-shape": "64,64,64" },
    });
    const burst = () =>
      Promise.all(Array.from({ length: 6 }, () => app.request("/v1/segment?model=vnet3d-32&rle=false", init())));
    const first = await burst();
    const busy = (rs: Response[]) => rs.filter((r) => r.status === 503).length;
    assert.ok(busy(first) >= 4, first.map((r) => r.status).join());
    await new Promise((r) => setTimeout(r, 1100));
    const second = await burst();
    const shedLines = lines.filter((l) => l.code === "ERR_BUSY");
    assert.equal(shedLines.length, 2, JSON.stringify(shedLines));
    assert.equal(shedLines[0].shed, 1);
    // The second line folds in the rest of the first burst and itself.
    assert.equal(shedLines[1].shed, busy(first));
    assert.equal(
      lines.filter((l) => l.status === 200).length,
      first.length + second.length - busy(first) - busy(second),
    );
    await app.dispose();
  });

  it("stops a segmentation past the time limit with 503 ERR_TIMEOUT", async () => {
    const app = createApp({ models: modelBytes(), limits: { timeoutMs: 1 }, logger: silentLogger });
    await app.ready;
    const nii = await niftiVolume([64, 64, 40], false);
    const r = await app.request("/v1/segment?model=vnet3d-32", {
      method: "POST",
      body: nii as BodyInit,
      headers: { "content-type": "application/x-nifti" },
    });
    await assertError(r, 503, "ERR_TIMEOUT");
    assert.equal(app.stats().liveTensors, 0);
    await app.dispose();
  });

  it("warms each session up before ready: `warmup` runs on zeros of the contract's size, 0 for none", async () => {
    for (const warmup of [undefined, 2, 0]) {
      const shapes: number[][] = [];
      const counting: OrtModule = {
        ...defaultOrt,
        InferenceSession: {
          create: async (bytes: Uint8Array, o: unknown) => {
            const s = await defaultOrt.InferenceSession.create(bytes, o as never);
            const run = s.run.bind(s);
            return Object.assign(s, {
              run: (feeds: Record<string, { dims: readonly number[] }>) => {
                shapes.push([...Object.values(feeds)[0].dims]);
                return run(feeds as never);
              },
            });
          },
        } as unknown as OrtModule["InferenceSession"],
      };
      const app = createApp({ model: fixture(MODELS.unet2d), ort: counting, warmup, logger: silentLogger });
      await app.ready;
      assert.deepEqual(shapes, Array(warmup ?? 5).fill([1, 1, 64, 64]));
      await app.dispose();
    }
  });

  it("logs one structured line per request with its id; an internal error leaks no text", async () => {
    const logs: LogEntry[] = [];
    // An onnxruntime whose sessions fail on run: the failure must surface as a bare 500.
    const broken: OrtModule = {
      ...defaultOrt,
      InferenceSession: {
        create: async () => ({
          inputNames: ["input"],
          outputNames: ["probs"],
          run: async () => {
            throw new Error("secret /path/x.ts:1 detail");
          },
          release: async () => {},
        }),
      } as unknown as OrtModule["InferenceSession"],
    };
    const app = createApp({ models: modelBytes(), ort: broken, logger: (e) => logs.push(e) });
    await app.ready;
    const r = await app.request("/v1/segment", await postPng({ "x-request-id": "req-1" }));
    const e = await assertError(r, 500, "ERR_INTERNAL");
    assert.equal(e.message, "internal error");
    assert.equal(e.requestId, "req-1");
    const line = logs.find((l) => l.msg === "request" && l.requestId === "req-1");
    assert.equal(line?.status, 500);
    assert.equal(line?.model, "unet2d-64");
    assert.ok(logs.some((l) => l.msg === "unhandled error" && String(l.error).includes("secret")));
    assert.equal(app.stats().liveTensors, 0);
  });
});
