import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { decodePng } from "@bcpseg/core";
import { fixture, grayPng, MODELS } from "../../test/helpers.ts";
import { routeSuite } from "../../test/route-suite.ts";
import { buildWorker } from "../../worker/build.ts";
import { createApp } from "../app.ts";
import { silentLogger } from "../http/logger.ts";

// Platforms Cloudflare publishes a workerd binary for (@cloudflare/workerd-<os>-<arch>); elsewhere the test skips.
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];
const platform = `${process.platform}-${process.arch}`;
const skip = PLATFORMS.includes(platform) ? false : `no workerd binary is published for ${platform}`;
const fixtures = fileURLToPath(new URL("../../test/fixtures/", import.meta.url));
const MIB = 2 ** 20;

interface Workerd {
  readonly child: ChildProcess;
  readonly base: string;
  readonly dir: string;
}

/** Bundles a worker into a temporary folder and serves it with `workerd serve` on a free loopback port. */
async function serve(build: (dir: string) => Promise<{ config: string; sizes: Record<string, number> }>) {
  const dir = mkdtempSync(join(tmpdir(), "bcpseg-workerd-"));
  const { config, sizes } = await build(dir);
  for (const [name, bytes] of Object.entries(sizes)) assert.ok(bytes < 25 * MIB, `${name} fits the 25 MiB limit`);
  const bin: string = createRequire(import.meta.url)("workerd").default;
  // --control-fd: workerd writes {"event":"listen","port":…} there once the socket is bound (port 0 = any).
  const child = spawn(bin, ["serve", config, "--socket-addr=http=127.0.0.1:0", "--control-fd=3"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d) => {
    err += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd did not start: ${err}`)), 30_000);
    (child.stdio[3] as Readable).on("data", (d) => {
      const event = String(d)
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((e) => e.event === "listen");
      if (!event) return;
      clearTimeout(timer);
      resolve(event.port);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited with ${code}: ${err}`));
    });
  });
  return { child, base: `http://127.0.0.1:${port}`, dir };
}

async function stop(w: Workerd | undefined): Promise<void> {
  if (!w) return;
  if (w.child.exitCode === null && w.child.signalCode === null) {
    const exited = new Promise((r) => w.child.once("exit", r));
    w.child.kill("SIGTERM");
    await exited;
  }
  rmSync(w.dir, { recursive: true, force: true });
}

describe("worker/entry.ts on a real workerd", { skip }, () => {
  let w: Workerd | undefined;
  before(async () => {
    // The shipped entry, as wrangler would deploy it, with the fixture 2D model as its model.onnx Data module.
    w = await serve((outDir) => buildWorker({ outDir, data: { "model.onnx": join(fixtures, MODELS.unet2d) } }));
  });
  after(() => stop(w));

  it("answers /healthz and /v1/models, and segments a PNG into the label PNG the Node app answers", async () => {
    const base = w?.base;
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const { models } = await (await fetch(`${base}/v1/models`)).json();
    assert.deepEqual(
      models.map((m: { id: string; ready: boolean }) => [m.id, m.ready]),
      [["unet2d-64", true]],
    );
    const png = grayPng(64, 80);
    const init = { method: "POST", body: png as BodyInit, headers: { "content-type": "image/png" } };
    const r = await fetch(`${base}/v1/segment?format=png`, init);
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(r.headers.get("content-type"), "image/png");
    const labels = new Uint8Array(await r.arrayBuffer());
    const decoded = decodePng(labels);
    assert.deepEqual([decoded.height, decoded.width, decoded.channels], [64, 80, 1]);
    // Same wasm, same model, same preprocessing: the bytes equal the in-process answer.
    const app = createApp({ model: fixture(MODELS.unet2d), logger: silentLogger, warmup: 0 });
    try {
      const local = await app.request("/v1/segment?format=png", init);
      assert.deepEqual(labels, new Uint8Array(await local.arrayBuffer()));
    } finally {
      await app.dispose();
    }
  });
});

describe("the same routes on a real workerd", { skip }, () => {
  let w: Workerd | undefined;
  before(async () => {
    // A two-model worker (the route suite wants the 2D and the 3D model); createWorker as entry.ts calls it.
    w = await serve(async (outDir) => {
      const entry = join(outDir, "entry.ts");
      const workers = fileURLToPath(new URL("./workers.ts", import.meta.url));
      writeFileSync(
        entry,
        `import wasmModule from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { createWorker } from ${JSON.stringify(workers)};
import m2d from "./${MODELS.unet2d}";
import m3d from "./${MODELS.vnet3d}";
export default createWorker({ wasmModule, models: [m2d, m3d], limits: { concurrency: 1, queue: 8 } });
`,
      );
      const data = Object.fromEntries([MODELS.unet2d, MODELS.vnet3d].map((m) => [m, join(fixtures, m)]));
      return buildWorker({ outDir, entry, data });
    });
  });
  after(() => stop(w));
  routeSuite(() => (path, init) => fetch(`${w?.base}${path}`, init));
});
