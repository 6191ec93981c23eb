import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeNifti, decodePng } from "@bcpseg/core";
import { decodeRunLengths } from "../src/codec/run-lengths.ts";
import { f32Bytes, fixture, grayPng, MODELS, niftiVolume, rgbPng } from "./helpers.ts";

/** A request function: app.request, or fetch against a server's base URL. */
export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

const post = (body: string | Uint8Array, type: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body: body as BodyInit,
  headers: { "content-type": type, ...headers },
});

/** Asserts the one JSON error envelope with `code` (no stack traces) and returns it. */
export async function assertError(r: Response, status: number, code: string) {
  const text = await r.text();
  assert.equal(r.status, status, text);
  assert.match(r.headers.get("content-type") ?? "", /application\/json/);
  const body = JSON.parse(text);
  assert.equal(body.error.code, code, text);
  assert.equal(typeof body.error.message, "string");
  assert.doesNotMatch(text, /\bat [\w.<>]+ \(|\.ts:\d+/, "no stack trace in the answer");
  return body.error;
}

/**
 * The route cases every transport must pass: app.request() and a real server per runtime. The server holds the
 * fixture 2D model (default) and the 3D model.
 */
export function routeSuite(fetcher: () => Fetcher): void {
  const f = (path: string, init?: RequestInit) => fetcher()(path, init);

  it("GET /healthz and /readyz answer, echoing a plain X-Request-Id", async () => {
    const h = await f("/healthz", { headers: { "x-request-id": "abc-123" } });
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: "ok" });
    assert.equal(h.headers.get("x-request-id"), "abc-123");
    const r = await f("/readyz", { headers: { "x-request-id": "bad id with spaces" } });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).status, "ready");
    assert.match(r.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  });

  it("GET /v1/models lists both models with contract, classes and graph hash", async () => {
    const r = await f("/v1/models");
    assert.equal(r.status, 200);
    const { models } = await r.json();
    assert.deepEqual(
      models.map((m: { id: string }) => m.id),
      ["unet2d-64", "vnet3d-32"],
    );
    assert.match(models[0].sha256, /^[0-9a-f]{64}$/);
    assert.equal(models[0].task, "2d");
    assert.deepEqual(models[0].inputSize, [64, 64]);
    assert.equal(models[0].classes.length, 4);
    assert.equal(models[0].contract.format, "bcpseg.model");
    assert.equal(models[1].task, "3d");
  });

  it("segments an 8-bit gray PNG to JSON: counts, volumes, boxes and run-length masks agree", async () => {
    const r = await f("/v1/segment", post(grayPng(50, 70), "image/png"));
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.deepEqual(body.shape, [50, 70]);
    assert.equal(body.model.id, "unet2d-64");
    assert.equal(
      body.classes.reduce((s: number, c: { voxels: number }) => s + c.voxels, 0),
      3500,
    );
    for (const c of body.classes) {
      const mask = decodeRunLengths(c.rle.counts, 3500);
      assert.equal(
        mask.reduce((a, b) => a + b, 0),
        c.voxels,
      );
      assert.equal(c.volume, c.voxels);
      if (c.voxels === 0) assert.equal(c.bbox, null);
      else {
        const first = mask.indexOf(1);
        assert.ok(c.bbox.min[0] <= Math.floor(first / 70) && c.bbox.max[0] < 50 && c.bbox.max[1] < 70);
      }
    }
  });

  it("answers a label PNG (by Accept) that matches the JSON run-length masks", async () => {
    const png = grayPng(48, 40, 16);
    const r = await f("/v1/segment", post(png, "image/png", { accept: "image/png" }));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "image/png");
    const labels = decodePng(new Uint8Array(await r.arrayBuffer()));
    assert.deepEqual([labels.height, labels.width, labels.channels], [48, 40, 1]);
    const j = await (await f("/v1/segment?format=json", post(png, "image/png"))).json();
    for (const c of j.classes) {
      const mask = decodeRunLengths(c.rle.counts, 48 * 40);
      mask.forEach((m, i) => {
        assert.equal(m === 1, labels.data[i] === c.index);
      });
    }
  });

  it("segments an RGB PNG and draws an overlay PNG", async () => {
    const png = rgbPng(64, 64);
    assert.equal((await f("/v1/segment?rle=false", post(png, "image/png"))).status, 200);
    const r = await f("/v1/segment?format=overlay", post(png, "image/png"));
    assert.equal(r.status, 200);
    const img = decodePng(new Uint8Array(await r.arrayBuffer()));
    assert.deepEqual([img.height, img.width, img.channels], [64, 64, 3]);
  });

  it("takes raw float32 as octet-stream with X-Shape and as JSON+base64, with probabilities", async () => {
    const a = Float32Array.from({ length: 2 * 40 * 36 }, (_, i) => Math.cos(i / 11));
    const r = await f(
      "/v1/segment?rle=false",
      post(f32Bytes(a), "application/octet-stream", { "x-shape": "2,40,36", "x-spacing": "1,0.5,2" }),
    );
    assert.equal(r.status, 200);
    const body = await r.json();
    assert.deepEqual(body.shape, [2, 40, 36]);
    assert.equal(body.classes[0].volume, body.classes[0].voxels * 1);
    const json = JSON.stringify({ data: Buffer.from(f32Bytes(a)).toString("base64"), shape: [2, 40, 36] });
    const p = await f("/v1/segment?probabilities=true&rle=false", post(json, "application/json"));
    assert.equal(p.status, 200);
    const pj = await p.json();
    assert.deepEqual(pj.probabilities.shape, [4, 2, 40, 36]);
    const probs = new Float32Array(new Uint8Array(Buffer.from(pj.probabilities.data, "base64")).buffer);
    const n = 2 * 40 * 36;
    for (let i = 0; i < n; i += 97) {
      const s = probs[i] + probs[n + i] + probs[2 * n + i] + probs[3 * n + i];
      assert.ok(Math.abs(s - 1) < 1e-4, `probabilities sum to ${s}`);
    }
  });

  it("segments a .nii.gz slice by slice (2D model) and answers a label NIfTI with the input's geometry", async () => {
    const nii = await niftiVolume([40, 36, 3], true);
    const r = await f("/v1/segment?format=nifti-gz", post(nii, "application/gzip"));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/gzip");
    const out = decodeNifti(new Uint8Array(await r.arrayBuffer()));
    const inp = decodeNifti(nii);
    assert.deepEqual(out.shape, [40, 36, 3]);
    assert.deepEqual(out.spacing, inp.spacing);
    assert.deepEqual(out.header.srowX, inp.header.srowX);
    assert.equal(out.dtype, "uint8");
    const j = await (await f("/v1/segment?rle=false", post(nii, "application/gzip"))).json();
    assert.equal(j.unit, "mm^3");
    assert.equal(j.timing.runs, 3);
    for (const c of j.classes) assert.ok(Math.abs(c.volume - c.voxels * 1.5 * 1.25 * 5) < 1e-6);
  });

  it("segments a .nii volume with the 3D model by sliding window", async () => {
    const nii = await niftiVolume([40, 34, 20], false);
    const r = await f("/v1/segment?model=vnet3d-32&rle=false", post(nii, "application/x-nifti"));
    assert.equal(r.status, 200);
    const j = await r.json();
    assert.deepEqual(j.shape, [40, 34, 20]);
    assert.equal(j.classes.length, 2);
    assert.equal(j.timing.runs, 2 * 2 * 1);
    const o = await f("/v1/segment?model=vnet3d-32&format=overlay&slice=3", post(nii, "application/x-nifti"));
    assert.equal(o.status, 200);
  });

  it("answers every bad input with a 4xx JSON envelope", async () => {
    const nan = f32Bytes(Float32Array.from({ length: 64 }, (_, i) => (i === 5 ? Number.NaN : i)));
    await assertError(
      await f("/v1/segment", post(nan, "application/octet-stream", { "x-shape": "8,8" })),
      422,
      "ERR_NOT_FINITE",
    );
    const inf = JSON.stringify({
      data: Buffer.from(f32Bytes(Float32Array.of(1, Number.POSITIVE_INFINITY, 0, 0))).toString("base64"),
      shape: [2, 2],
    });
    await assertError(await f("/v1/segment", post(inf, "application/json")), 422, "ERR_NOT_FINITE");
    await assertError(
      await f("/v1/segment", post(nan, "application/octet-stream", { "x-shape": "8,8", "x-dtype": "int16" })),
      400,
      "ERR_DTYPE",
    );
    await assertError(
      await f("/v1/segment", post(nan, "application/octet-stream", { "x-shape": "9,8" })),
      422,
      "ERR_SHAPE",
    );
    await assertError(
      await f("/v1/segment", post(nan, "application/octet-stream", { "x-shape": "8,x" })),
      400,
      "ERR_SHAPE",
    );
    await assertError(
      await f("/v1/segment", post(JSON.stringify({ data: "@@", shape: [2] }), "application/json")),
      400,
      "ERR_VALIDATION",
    );
    await assertError(await f("/v1/segment", post("{", "application/json")), 400, "ERR_JSON");
    const png = grayPng(32, 32);
    await assertError(await f("/v1/segment", post(png.slice(0, png.length - 20), "image/png")), 400, "ERR_FORMAT");
    const corrupt = png.slice();
    corrupt[40] ^= 0xff;
    await assertError(await f("/v1/segment", post(corrupt, "image/png")), 400, "ERR_FORMAT");
    const nii = await niftiVolume([8, 8, 2], false);
    await assertError(await f("/v1/segment", post(nii.slice(0, 400), "application/x-nifti")), 400, "ERR_FORMAT");
    await assertError(
      await f("/v1/segment", post((await niftiVolume([8, 8, 2], true)).slice(0, 30), "application/gzip")),
      400,
      "ERR_FORMAT",
    );
    await assertError(await f("/v1/segment", post("hello", "text/plain")), 415, "ERR_CONTENT_TYPE");
    await assertError(await f("/v1/segment", { method: "POST", body: png as BodyInit }), 415, "ERR_CONTENT_TYPE");
    await assertError(await f("/v1/segment", post(new Uint8Array(0), "image/png")), 400, "ERR_EMPTY_BODY");
    await assertError(await f("/v1/segment?model=nope", post(png, "image/png")), 404, "ERR_MODEL_NOT_FOUND");
    await assertError(await f("/v1/segment?format=bmp", post(png, "image/png")), 400, "ERR_VALIDATION");
    await assertError(await f("/v1/segment?model=vnet3d-32", post(png, "image/png")), 422, "ERR_SHAPE");
    await assertError(await f("/v1/segment?format=png", post(nii, "application/x-nifti")), 406, "ERR_NOT_ACCEPTABLE");
    await assertError(await f("/v1/nothing"), 404, "ERR_NOT_FOUND");
  });

  it("serves the OpenAPI document generated from the schemas, and the page", async () => {
    const r = await f("/openapi.json");
    assert.equal(r.status, 200);
    const doc = await r.json();
    assert.equal(doc.openapi, "3.0.3");
    const seg = doc.paths["/v1/segment"].post;
    assert.ok(seg.parameters.some((p: { name: string }) => p.name === "format"));
    assert.ok(seg.requestBody.content["application/json"].schema.properties.shape);
    assert.ok(seg.responses["422"]);
    const page = await f("/");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>bcpseg<\/title>/);
  });

  it("loads the fixture metadata hash it reports", async () => {
    const { models } = await (await f("/v1/models")).json();
    assert.ok(new TextDecoder().decode(fixture(MODELS.unet2d)).includes(models[0].sha256));
  });
}
