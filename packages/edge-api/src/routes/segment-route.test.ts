import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fixture, grayPng, MODELS } from "../../test/helpers.ts";
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
});
