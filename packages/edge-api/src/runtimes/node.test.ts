import assert from "node:assert/strict";
import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startNode } from "./node.ts";

const model = fileURLToPath(new URL("../../test/fixtures/unet2d-64-int8.onnx", import.meta.url));
const vnet = fileURLToPath(new URL("../../test/fixtures/vnet3d-32-int8.onnx", import.meta.url));

/** One request on `agent` (keep-alive); status, headers and body text. */
function send(port: number, agent: Agent, method: string, path: string, body?: Uint8Array, headers = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", method, path, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("startNode", () => {
  it("serves on a free port and reports a busy port as ERR_LISTEN instead of crashing", async () => {
    const first = await startNode({ modelPaths: [model], port: 0, warmup: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${first.port}/healthz`);
      assert.equal(res.status, 200);
      await assert.rejects(
        startNode({ modelPaths: [model], port: first.port, warmup: 0 }),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "ERR_LISTEN");
          assert.match(e.message, /EADDRINUSE/);
          return true;
        },
      );
    } finally {
      await first.close();
    }
  });

  it("writes /healthz and shed refusals in its raw listener: the app's answer, and the connection stays usable", async () => {
    const s = await startNode({
      modelPaths: [model, vnet],
      port: 0,
      warmup: 0,
      logger: () => {},
      limits: { concurrency: 1, queue: 0 },
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const h = await send(s.port, agent, "GET", "/healthz", undefined, { "x-request-id": "probe-7" });
      assert.equal(h.status, 200);
      assert.deepEqual(JSON.parse(h.text), { status: "ok" });
      assert.equal(h.headers["x-request-id"], "probe-7");
      assert.equal(h.headers["content-type"], "application/json");
      // One long segmentation (125 windows) holds the only slot; requests arriving meanwhile are shed.
      const vol = new Uint8Array(new Float32Array(96 * 96 * 96).fill(1).buffer);
      const long = fetch(`http://127.0.0.1:${s.port}/v1/segment?model=vnet3d-32&rle=false`, {
        method: "POST",
        body: vol,
        headers: { "content-type": "application/octet-stream", "x-shape": "96,96,96" },
      });
      while (s.app.stats().running < 1) await new Promise((r) => setTimeout(r, 2));
      const png = new Uint8Array(64);
      for (let i = 0; i < 3; i++) {
        const r = await send(s.port, agent, "POST", "/v1/segment?format=png", png, {
          "content-type": "image/png",
          "x-request-id": `shed-${i}`,
        });
        assert.equal(r.status, 503, r.text);
        const body = JSON.parse(r.text);
        assert.equal(body.error.code, "ERR_BUSY");
        assert.equal(body.error.requestId, `shed-${i}`);
        assert.equal(r.headers["x-error-code"], "ERR_BUSY");
        assert.equal(r.headers["retry-after"], "1");
        assert.equal(Number(r.headers["content-length"]), Buffer.byteLength(r.text));
      }
      // The same kept-alive connection answers the next request (the refused body was drained, not left in it).
      assert.equal((await send(s.port, agent, "GET", "/healthz")).status, 200);
      assert.equal((await long).status, 200);
    } finally {
      agent.destroy();
      await s.close();
    }
  });
});
