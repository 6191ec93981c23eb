import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import { assembleDicomSeries, decodeNifti, readDicom } from "@bcpseg/core";
import { fixture, grayPng, MODELS } from "../test/helpers.ts";
import { createApp } from "./app.ts";
import { silentLogger } from "./http/logger.ts";

// DICOM in, DICOM SEG out, against a real Node server (worker pool) in a child process on loopback: the
// ACDC-derived series of core's fixtures sent as one file, STOW-RS multipart/related and multipart/form-data;
// the SEG read back by pydicom (test/dicom-seg/seg_fixture.py) with masks equal to the NIfTI answer; hostile
// bodies refused with a 4xx JSON error in bounded time and RSS while /healthz answers.
const FIXTURES = fileURLToPath(new URL("../../core/test/fixtures/dicom/", import.meta.url));
const SEG_FIXTURE = fileURLToPath(new URL("../../../test/dicom-seg/seg_fixture.py", import.meta.url));
const PYTHON = "/usr/bin/python3";
const DCIODVFY = "/usr/bin/dciodvfy";
const JPEG2000 = "/usr/lib/python3/dist-packages/pydicom/data/test_files/JPEG2000.dcm";
const NO_PYDICOM =
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pydicom, numpy"]).status === 0
    ? false
    : `${PYTHON} with pydicom and numpy is not installed (Debian python3-pydicom)`;
const TIME_MS = 15_000;
const RSS_BYTES = 200 * 2 ** 20;
const CLASSES = ["background", "right ventricle", "myocardium", "left ventricle"];

const seriesFiles = (name: string) =>
  readdirSync(join(FIXTURES, name))
    .sort()
    .map((f) => join(FIXTURES, name, f));
const bytesOf = (file: string) => new Uint8Array(readFileSync(file));

/** A multipart body of `parts` (each with its own headers) between `boundary` delimiters. */
function multipart(boundary: string, parts: Array<{ headers: string; body: Uint8Array }>, close = true): Uint8Array {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\n${p.headers}\r\n\r\n`), p.body, enc.encode("\r\n"));
  }
  if (close) chunks.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
const stow = (files: Uint8Array[], boundary = "bcpseg-stow-7f3a") =>
  multipart(
    boundary,
    files.map((body) => ({ headers: "Content-Type: application/dicom", body })),
  );
const STOW_TYPE = (boundary = "bcpseg-stow-7f3a") =>
  `multipart/related; type="application/dicom"; boundary=${boundary}`;

/** An explicit VR little endian file with its US element `tag` (group, element) set to `value`. */
function patchUs(bytes: Uint8Array, group: number, element: number, value: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 132; i + 10 <= out.length; i++) {
    const hit =
      out[i] === (group & 255) &&
      out[i + 1] === group >> 8 &&
      out[i + 2] === (element & 255) &&
      out[i + 3] === element >> 8 &&
      out[i + 4] === 85 && // "U"
      out[i + 5] === 83 && // "S"
      out[i + 6] === 2;
    if (hit) {
      out[i + 8] = value & 255;
      out[i + 9] = value >> 8;
      return out;
    }
  }
  throw new Error(`no US (${group.toString(16)},${element.toString(16)})`);
}

interface Server {
  child: ChildProcess;
  port: number;
  rss(): Promise<number>;
}

async function startServer(): Promise<Server> {
  const entry = fileURLToPath(new URL("../test/hostile-server.ts", import.meta.url));
  const options = { limits: { timeoutMs: 10_000, concurrency: 1, queue: 4 }, warmup: 1 };
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", "tsx", entry, JSON.stringify(options)],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const waiters: Array<(n: number) => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (c) => reject(new Error(`server exited with ${c}`)));
    child.on("message", (m: { port?: number; rss?: number }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.rss !== undefined) waiters.shift()?.(m.rss);
    });
  });
  const rss = () =>
    new Promise<number>((resolve) => {
      waiters.push(resolve);
      child.send({ rss: true });
    });
  return { child, port, rss };
}

describe("DICOM in, DICOM SEG out, against a real Node server", { timeout: 240_000 }, () => {
  let s: Server;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), "bcpseg-edge-dicom-"));
  before(async () => {
    s = await startServer();
    base = `http://127.0.0.1:${s.port}`;
  });
  after(async () => {
    if (s.child.connected) s.child.send({ stop: true });
    await new Promise((r) => s.child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  });
  const post = (query: string, body: BodyInit | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/segment${query}`, { method: "POST", body: body as BodyInit, headers });

  /** Runs `attack` with the server's RSS sampled and /healthz polled: bounded time, memory, and health answers. */
  async function hostile<T>(attack: () => Promise<T>): Promise<T> {
    const rss0 = await s.rss();
    let peak = rss0;
    let running = true;
    const sampler = (async () => {
      while (running) {
        peak = Math.max(peak, await s.rss());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const health: number[] = [];
    const poller = (async () => {
      do {
        const r = await fetch(`${base}/healthz`);
        await r.arrayBuffer();
        health.push(r.status);
        await new Promise((r) => setTimeout(r, 10));
      } while (running);
    })();
    const t0 = performance.now();
    const result = await attack();
    const ms = performance.now() - t0;
    running = false;
    await Promise.all([sampler, poller]);
    assert.ok(ms < TIME_MS, `took ${Math.round(ms)} ms`);
    assert.ok(peak - rss0 < RSS_BYTES, `RSS grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(health.length >= 1 && health.every((c) => c === 200), `/healthz answered ${health.join(",")}`);
    return result;
  }
  const expectError = async (r: Response, status: number, code: string) => {
    const text = await r.text();
    assert.equal(r.status, status, text);
    assert.match(r.headers.get("content-type") ?? "", /application\/json/);
    const body = JSON.parse(text);
    assert.equal(body.error.code, code, text);
    return body.error as { code: string; message: string; details?: Record<string, unknown> };
  };

  const mr = seriesFiles("mr-explicit-le");
  const mrBytes = mr.map(bytesOf);
  const form = () => {
    const fd = new FormData();
    mrBytes.forEach((b, k) => {
      fd.append("files", new Blob([b], { type: "application/dicom" }), `im${k}.dcm`);
    });
    return fd;
  };

  it("a series as multipart/related (STOW-RS) and multipart/form-data gets the same labels; one file as application/dicom", async () => {
    const niftiOf = async (r: Response) => {
      assert.equal(r.status, 200, r.status === 200 ? "" : await r.clone().text());
      assert.equal(r.headers.get("content-type"), "application/x-nifti");
      return decodeNifti(new Uint8Array(await r.arrayBuffer()));
    };
    const a = await niftiOf(await post("?format=nifti", stow(mrBytes), { "content-type": STOW_TYPE() }));
    const b = await niftiOf(await post("?format=nifti", form()));
    assert.deepEqual(a.shape, [48, 64, 4]);
    assert.deepEqual(a.data, b.data);
    // The volume's geometry: the series' (patient coordinates, mm).
    const series = assembleDicomSeries(mrBytes.map((f) => readDicom(f)));
    assert.ok(Math.abs(a.spacing[2] - series.spacing[2]) < 1e-4);
    const json = await (await post("?format=json&rle=false", form())).json();
    assert.deepEqual([json.input.kind, json.unit], ["dicom", "mm^3"]);
    assert.deepEqual(json.shape, [48, 64, 4]);
    // One file: a slice of the series, and the enhanced multi-frame file (its frames are the volume).
    const one = await niftiOf(await post("?format=nifti", mrBytes[0], { "content-type": "application/dicom" }));
    assert.deepEqual(one.shape, [48, 64, 1]);
    const png = await post("?format=png", mrBytes[0], { "content-type": "application/dicom" });
    assert.equal(png.status, 200);
    assert.equal(png.headers.get("content-type"), "image/png");
    const enhanced = bytesOf(seriesFiles("mr-enhanced-multiframe")[0]);
    const e = await niftiOf(await post("?format=nifti", enhanced, { "content-type": "application/dicom" }));
    assert.equal(e.shape.length, 3);
    assert.ok(e.shape[2] > 1);
  });

  it("format=dicom-seg (and Accept: application/dicom): pydicom reads a SEG whose masks equal the NIfTI answer", {
    skip: NO_PYDICOM,
  }, async () => {
    const r = await post("", stow(mrBytes), { "content-type": STOW_TYPE(), accept: "application/dicom" });
    assert.equal(r.status, 200, r.status === 200 ? "" : await r.clone().text());
    assert.equal(r.headers.get("content-type"), "application/dicom");
    const seg = join(dir, "answer.seg.dcm");
    writeFileSync(seg, new Uint8Array(await r.arrayBuffer()));
    const nii = decodeNifti(new Uint8Array(await (await post("?format=nifti", form())).arrayBuffer()));
    const [X, Y, Z] = nii.shape;
    const labels = new Uint8Array(X * Y * Z);
    for (let z = 0; z < Z; z++)
      for (let y = 0; y < Y; y++)
        for (let x = 0; x < X; x++) labels[(z * Y + y) * X + x] = nii.data[(x * Y + y) * Z + z];
    assert.ok(
      labels.some((v) => v > 0),
      "the model labels something",
    );
    writeFileSync(join(dir, "labels.u8"), labels);
    // The source files in the volume's slice order (along the normal), each found by its SOPInstanceUID.
    const byUid = new Map(mr.map((f) => [readDicom(bytesOf(f)).sopInstanceUid, f]));
    const order = assembleDicomSeries(mrBytes.map((f) => readDicom(f))).slices.map((x) => byUid.get(x.sopInstanceUid));
    const exp = { source: {}, files: order, labels: join(dir, "labels.u8"), classes: CLASSES };
    writeFileSync(join(dir, "exp.json"), JSON.stringify(exp));
    const py = spawnSync(PYTHON, [SEG_FIXTURE, "check", seg, join(dir, "exp.json")], { encoding: "utf8" });
    assert.notEqual(py.stdout.trim(), "", py.stderr);
    const summary = JSON.parse(py.stdout.trim().split("\n").at(-1) ?? "{}");
    assert.equal(summary.ok, true, summary.error);
    assert.deepEqual(summary.labels, CLASSES.slice(1));
    if (existsSync(DCIODVFY)) {
      const v = spawnSync(DCIODVFY, [seg], { encoding: "utf8" });
      const errors = `${v.stdout}\n${v.stderr}`.split("\n").filter((l) => l.trim().startsWith("Error"));
      assert.deepEqual(errors, []);
    }
  });

  it("dicom-seg of a non-DICOM input is 406; the SEG's bound counts in the output limit before inference", async () => {
    const png = grayPng(64, 64);
    await expectError(await post("?format=dicom-seg", png, { "content-type": "image/png" }), 406, "ERR_NOT_ACCEPTABLE");
    // The NIfTI answer of this series is at most 352 + 48 * 64 * 4 = 12640 bytes; its SEG's bound (3 segments x 4
    // slices of 384-byte frames and their functional groups) is 12850: a limit between refuses only the SEG, unrun.
    const app = createApp({
      model: fixture(MODELS.unet2d),
      logger: silentLogger,
      warmup: 0,
      limits: { outputBytes: 12_700 },
    });
    try {
      await app.ready;
      const req = (format: string) =>
        app.request(`/v1/segment?format=${format}`, {
          method: "POST",
          body: stow(mrBytes) as Uint8Array<ArrayBuffer>,
          headers: { "content-type": STOW_TYPE() },
        });
      assert.equal((await req("nifti")).status, 200);
      const e = await expectError(await req("dicom-seg"), 413, "ERR_OUTPUT_TOO_LARGE");
      assert.equal(e.details?.limit, "outputBytes");
      assert.ok((e.details?.value as number) > 12_700);
      // The OpenAPI document names the DICOM bodies, the SEG answer and the format.
      const doc = await (await app.request("/openapi.json")).json();
      const op = doc.paths["/v1/segment"].post;
      for (const t of ["application/dicom", "multipart/related", "multipart/form-data"])
        assert.ok(op.requestBody.content[t], t);
      assert.ok(op.responses["200"].content["application/dicom"]);
      const format = op.parameters.find((p: { name: string }) => p.name === "format");
      assert.ok(JSON.stringify(format.schema).includes("dicom-seg"));
    } finally {
      await app.dispose();
    }
  });

  it("the planned series is costed as a volume: each file within limits.voxels, the series over it (413, nothing decoded)", async () => {
    const app = createApp({
      model: fixture(MODELS.unet2d),
      logger: silentLogger,
      warmup: 0,
      limits: { voxels: 48 * 64 * 3 },
    });
    try {
      await app.ready;
      const req = (files: Uint8Array[]) =>
        app.request("/v1/segment", {
          method: "POST",
          body: stow(files) as Uint8Array<ArrayBuffer>,
          headers: { "content-type": STOW_TYPE() },
        });
      const e = await expectError(await req(mrBytes), 413, "ERR_TOO_MANY_VOXELS");
      assert.deepEqual([e.details?.limit, e.details?.value], ["voxels", 48 * 64 * 4]);
      // The same series without its last slice along the normal is three slices: within the limit.
      const last = assembleDicomSeries(mrBytes.map((f) => readDicom(f))).slices[3].sopInstanceUid;
      assert.equal((await req(mrBytes.filter((b) => readDicom(b).sopInstanceUid !== last))).status, 200);
    } finally {
      await app.dispose();
    }
  });

  it("deflated files share one inflation budget: ten 1 MiB bombs under limits.decodedBytes = 2.5 MiB are 413", async () => {
    // Part 10 meta group (explicit VR little endian) naming the deflated syntax, then a deflated 1 MiB data set.
    const el = (tag: number, vr: string, value: Uint8Array) => {
      const h = new Uint8Array(8);
      const v = new DataView(h.buffer);
      v.setUint16(0, tag >>> 16, true);
      v.setUint16(2, tag & 0xffff, true);
      h.set(new TextEncoder().encode(vr), 4);
      v.setUint16(6, value.length, true);
      return Buffer.concat([h, value]);
    };
    const ts = new TextEncoder().encode("1.2.840.10008.1.2.1.99");
    const tsElement = el(0x00020010, "UI", ts);
    // The data set: one private OB element of 1 MiB (long form: 2 reserved bytes, a 32-bit length), all zeros.
    const ob = new Uint8Array(12);
    ob.set([0x09, 0x00, 0x00, 0x10, 0x4f, 0x42, 0, 0]);
    new DataView(ob.buffer).setUint32(8, 1 << 20, true);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, tsElement.length, true);
    const bomb = new Uint8Array(
      Buffer.concat([
        new Uint8Array(128),
        new TextEncoder().encode("DICM"),
        el(0x00020000, "UL", length),
        tsElement,
        deflateRawSync(Buffer.concat([ob, new Uint8Array(1 << 20)])),
      ]),
    );
    assert.ok(bomb.length < 2048, `${bomb.length} bytes`);
    const app = createApp({
      model: fixture(MODELS.unet2d),
      logger: silentLogger,
      warmup: 0,
      limits: { decodedBytes: 2.5 * 2 ** 20 },
    });
    try {
      await app.ready;
      const r = await app.request("/v1/segment", {
        method: "POST",
        body: stow(Array.from({ length: 10 }, () => bomb)) as Uint8Array<ArrayBuffer>,
        headers: { "content-type": STOW_TYPE() },
      });
      const e = await expectError(r, 413, "ERR_DECODED_TOO_LARGE");
      assert.equal(e.details?.limit, "decodedBytes");
      assert.equal(e.details?.part, 2);
    } finally {
      await app.dispose();
    }
  });

  it("lying boundaries, no close delimiter, oversized part headers: 400/413 JSON", async () => {
    const body = stow(mrBytes, "the-real-one");
    await hostile(async () => {
      await expectError(await post("", body, { "content-type": STOW_TYPE("another-one") }), 400, "ERR_MULTIPART");
      await expectError(await post("", body, { "content-type": "multipart/related" }), 400, "ERR_MULTIPART");
      const open = multipart(
        "b0",
        mrBytes.map((b) => ({ headers: "Content-Type: application/dicom", body: b })),
        false,
      );
      await expectError(await post("", open, { "content-type": STOW_TYPE("b0") }), 400, "ERR_MULTIPART");
      const longHeader = multipart("b1", [{ headers: `X-Pad: ${"a".repeat(64 * 1024)}`, body: mrBytes[0] }]);
      const e = await expectError(
        await post("", longHeader, { "content-type": STOW_TYPE("b1") }),
        413,
        "ERR_MULTIPART_LIMIT",
      );
      assert.equal(e.details?.limit, "headerBytes");
      const other = multipart("b2", [{ headers: "Content-Type: image/png", body: grayPng(8, 8) }]);
      await expectError(await post("", other, { "content-type": STOW_TYPE("b2") }), 415, "ERR_CONTENT_TYPE");
    });
  });

  it("too many parts: 413 ERR_MULTIPART_LIMIT naming the limit, while the body is still arriving", async () => {
    const part = new TextEncoder().encode("--many\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n");
    const e = await hostile(async () => {
      // 5000 parts, then the upload stalls: the answer must come from the watcher, not the end of the body.
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 5000) controller.enqueue(part);
          else return new Promise(() => {});
        },
      });
      const r = await fetch(`${base}/v1/segment`, {
        method: "POST",
        body: stream,
        headers: { "content-type": STOW_TYPE("many") },
        duplex: "half",
      } as RequestInit);
      return expectError(r, 413, "ERR_MULTIPART_LIMIT");
    });
    assert.equal(e.details?.limit, "parts");
  });

  it("a huge declared Rows x Columns: 413 naming limits.voxels, before any frame is decoded", async () => {
    const huge = patchUs(patchUs(mrBytes[0], 0x28, 0x10, 65535), 0x28, 0x11, 65535);
    const e = await hostile(async () =>
      expectError(await post("", huge, { "content-type": "application/dicom" }), 413, "ERR_TOO_MANY_VOXELS"),
    );
    assert.equal(e.details?.limit, "voxels");
    // Files declaring 4096 x 4096 (within the limit) over pixel data of 64 x 48: refused from the header (400).
    const wide = mrBytes.map((b) => patchUs(patchUs(b, 0x28, 0x10, 4096), 0x28, 0x11, 4096));
    await hostile(async () =>
      expectError(await post("", stow(wide), { "content-type": STOW_TYPE() }), 400, "ERR_DICOM_FORMAT"),
    );
  });

  it("16 million 1 x 1 frames in 16 MB (within limits.voxels): 413 naming limits.modelVoxels before any frame's geometry", {
    skip: NO_PYDICOM,
  }, async () => {
    const file = join(dir, "frames.dcm");
    const py = [
      "import sys, pydicom",
      "from pydicom.data import get_testdata_file",
      "d = pydicom.dcmread(get_testdata_file('MR_small.dcm'))",
      "d.Rows, d.Columns, d.BitsAllocated, d.BitsStored, d.HighBit, d.PixelRepresentation = 1, 1, 8, 8, 7, 0",
      "d.NumberOfFrames = 16_000_000",
      "d.PixelData = bytes(16_000_000)",
      "d.save_as(sys.argv[1], write_like_original=False)",
    ].join("\n");
    assert.equal(spawnSync(PYTHON, ["-c", py, file]).status, 0);
    const e = await hostile(async () =>
      expectError(await post("", bytesOf(file), { "content-type": "application/dicom" }), 413, "ERR_TOO_MUCH_WORK"),
    );
    assert.equal(e.details?.limit, "modelVoxels");
    assert.equal(e.details?.frames, 16_000_000);
  });

  it("a truncated file, a non-DICOM part, mixed series: 4xx JSON with the DicomError code", async () => {
    await hostile(async () => {
      const cut = mrBytes[1].subarray(0, 900);
      await expectError(await post("", cut, { "content-type": "application/dicom" }), 400, "ERR_DICOM_FORMAT");
      const withCut = stow([mrBytes[0], cut, mrBytes[2]]);
      const e = await expectError(await post("", withCut, { "content-type": STOW_TYPE() }), 400, "ERR_DICOM_FORMAT");
      assert.equal(e.details?.part, 1);
      const mixed = [...mrBytes, ...seriesFiles("ct-implicit-le").map(bytesOf)];
      const m = await expectError(
        await post("", stow(mixed), { "content-type": STOW_TYPE() }),
        422,
        "ERR_DICOM_SERIES",
      );
      assert.equal(m.details?.reason, "mixed-series");
      // Without the second slice along the normal: a hole in the stack.
      const second = assembleDicomSeries(mrBytes.map((f) => readDicom(f))).slices[1].sopInstanceUid;
      const gap = stow(mrBytes.filter((b) => readDicom(b).sopInstanceUid !== second));
      const g = await expectError(await post("", gap, { "content-type": STOW_TYPE() }), 422, "ERR_DICOM_SERIES");
      assert.equal(g.details?.reason, "missing-slices");
    });
  });

  it("a compressed transfer syntax it does not decode: 415 naming it (pydicom's JPEG 2000 file)", async (t) => {
    if (!existsSync(JPEG2000)) return t.skip(`${JPEG2000} is not installed (Debian: python3-pydicom)`);
    const e = await expectError(
      await post("", bytesOf(JPEG2000), { "content-type": "application/dicom" }),
      415,
      "ERR_DICOM_TRANSFER_SYNTAX",
    );
    assert.match(e.message, /1\.2\.840\.10008\.1\.2\.4\.91 \(JPEG 2000/);
  });
});
