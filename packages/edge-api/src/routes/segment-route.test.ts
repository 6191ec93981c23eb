import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeNifti, reverseAxes } from "@bcpseg/core";
import { f32Bytes, fixture, grayPng, MODELS, niftiVolume } from "../../test/helpers.ts";
import { createApp, type SegmentApp } from "../app.ts";
import { silentLogger } from "../http/logger.ts";
import { serverTiming } from "../http/server-timing.ts";

describe("Server-Timing", () => {
  it("formats named durations in ms (hand table)", () => {
    assert.equal(serverTiming({ model: 12.3456, app: 14 }), "model;dur=12.35, app;dur=14");
    assert.equal(serverTiming({}), "");
  });

  describe("POST /v1/segment", () => {
    let app: SegmentApp;
    before(async () => {
      app = createApp({ model: fixture(MODELS.unet2d), logger: silentLogger, warmup: 0 });
      await app.ready;
    });
    after(() => app.dispose());

    for (const format of ["png", "json"]) {
      it(`splits the handler's time into model runs and the rest (format=${format})`, async () => {
        const r = await app.request(`/v1/segment?format=${format}`, {
          method: "POST",
          body: grayPng(64, 64) as Uint8Array<ArrayBuffer>,
          headers: { "content-type": "image/png" },
        });
        assert.equal(r.status, 200);
        await r.arrayBuffer();
        const m = /^model;dur=([\d.]+), app;dur=([\d.]+)$/.exec(r.headers.get("server-timing") ?? "");
        assert.ok(m, `server-timing: ${r.headers.get("server-timing")}`);
        assert.ok(Number(m[1]) > 0 && Number(m[1]) <= Number(m[2]));
      });
    }
  });

  describe("a NIfTI volume to a 2D model", () => {
    let app: SegmentApp;
    before(async () => {
      app = createApp({ model: fixture(MODELS.unet2d), logger: silentLogger, warmup: 0 });
      await app.ready;
    });
    after(() => app.dispose());
    const post = (body: Uint8Array, headers: Record<string, string>) => ({
      method: "POST",
      body: body as Uint8Array<ArrayBuffer>,
      headers,
    });

    it("gets exactly the labels, probabilities and overlay of its [Z, Y, X] slice stack sent raw", async () => {
      const nii = await niftiVolume([40, 36, 3], false);
      const vol = decodeNifti(nii);
      const stack = reverseAxes(Float32Array.from(vol.data), vol.shape); // [3, 36, 40]
      const raw = { "content-type": "application/octet-stream", "x-shape": "3,36,40", "x-dtype": "float32" };
      const q = "format=json&rle=false&probabilities=true&largestComponent=true";
      const a = await (
        await app.request(`/v1/segment?${q}`, post(nii, { "content-type": "application/x-nifti" }))
      ).json();
      const b = await (await app.request(`/v1/segment?${q}`, post(f32Bytes(stack.data), raw))).json();
      assert.deepEqual(a.shape, [40, 36, 3]);
      assert.deepEqual(b.shape, [3, 36, 40]);
      assert.deepEqual(
        a.classes.map((c: { voxels: number }) => c.voxels),
        b.classes.map((c: { voxels: number }) => c.voxels),
      );
      const probs = (j: { probabilities: { data: string } }) =>
        new Float32Array(new Uint8Array(Buffer.from(j.probabilities.data, "base64")).buffer);
      const pa = probs(a);
      const pb = probs(b);
      const n = 40 * 36 * 3;
      for (let k = 0; k < 4; k++) {
        assert.deepEqual(
          reverseAxes(pa.subarray(k * n, (k + 1) * n), [40, 36, 3]).data,
          pb.subarray(k * n, (k + 1) * n),
        );
      }
      const labels = async (r: Response) => decodeNifti(new Uint8Array(await r.arrayBuffer())).data;
      const la = await labels(
        await app.request("/v1/segment?format=nifti", post(nii, { "content-type": "application/x-nifti" })),
      );
      const lb = await labels(await app.request("/v1/segment?format=nifti", post(f32Bytes(stack.data), raw)));
      assert.deepEqual(Uint8Array.from(la), reverseAxes(Uint8Array.from(lb), [3, 36, 40]).data);
      for (const slice of [0, 2]) {
        const oa = await app.request(
          `/v1/segment?format=overlay&slice=${slice}`,
          post(nii, { "content-type": "application/x-nifti" }),
        );
        const ob = await app.request(`/v1/segment?format=overlay&slice=${slice}`, post(f32Bytes(stack.data), raw));
        assert.deepEqual(new Uint8Array(await oa.arrayBuffer()), new Uint8Array(await ob.arrayBuffer()));
      }
    });
  });
});
