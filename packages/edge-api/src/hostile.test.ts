import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { f32Bytes } from "../test/helpers.ts";
import { emptyBlocksZlib, jsonWithKeys, lyingNifti, pngWithIdat, zeroNifti, zeroPng } from "../test/hostile-bodies.ts";

// One case per class of hostile input or overload, against a real server in a child process on loopback:
// each asserts the status and error code, a bound on its time and on the server's RSS growth, and that
// /healthz answered while it ran. Bounds are generous: a loaded 2-core CI machine must pass them.
const TOKEN = "hostile-suite-token";
const TIME_MS = 15_000;
const RSS_BYTES = 200 * 2 ** 20;
const SERVER = {
  auth: TOKEN,
  limits: { timeoutMs: 3000, concurrency: 1, queue: 4 },
  server: { connections: 64, headersTimeoutMs: 2000 },
  warmup: 1,
};

interface Server {
  child: ChildProcess;
  port: number;
  logs: Array<Record<string, unknown>>;
  rss(): Promise<number>;
}

async function startServer(): Promise<Server> {
  const entry = fileURLToPath(new URL("../test/hostile-server.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", "tsx", entry, JSON.stringify(SERVER)],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const logs: Array<Record<string, unknown>> = [];
  const rssWaiters: Array<(n: number) => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (c) => reject(new Error(`hostile server exited with ${c}`)));
    child.on("message", (m: { port?: number; rss?: number; log?: Record<string, unknown> }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.rss !== undefined) rssWaiters.shift()?.(m.rss);
      if (m.log) logs.push(m.log);
    });
  });
  const rss = () =>
    new Promise<number>((resolve) => {
      rssWaiters.push(resolve);
      child.send({ rss: true });
    });
  return { child, port, logs, rss };
}

describe("hostile input and overload against a real Node server", { timeout: 240_000 }, () => {
  let s: Server;
  let base: string;
  before(async () => {
    s = await startServer();
    base = `http://127.0.0.1:${s.port}`;
  });
  after(async () => {
    if (s.child.connected) s.child.send({ stop: true });
    await new Promise((r) => s.child.once("exit", r));
  });

  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = (path: string, body: Uint8Array | string, type: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      body: body as BodyInit,
      headers: { "content-type": type, ...auth, ...headers },
    });

  /** Polls /healthz until stopped; the poll in flight at stop() is waited for and counted. */
  function pollHealth() {
    let stopped = false;
    const answers: number[] = [];
    let failures = 0;
    const loop = (async () => {
      while (!stopped) {
        const t = performance.now();
        try {
          const r = await fetch(`${base}/healthz`);
          await r.arrayBuffer();
          if (r.status === 200) answers.push(performance.now() - t);
          else failures++;
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
        return { answers, failures };
      },
    };
  }

  /** Runs one hostile case with the server's RSS sampled around it and /healthz polled during it. */
  async function hostile<T>(attack: () => Promise<T>): Promise<T> {
    const rss0 = await s.rss();
    let peak = rss0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await s.rss());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const health = pollHealth();
    const t0 = performance.now();
    const result = await attack();
    const ms = performance.now() - t0;
    const h = await health.stop();
    sampling = false;
    await sampler;
    peak = Math.max(peak, await s.rss());
    assert.ok(ms < TIME_MS, `took ${Math.round(ms)} ms`);
    assert.ok(peak - rss0 < RSS_BYTES, `RSS grew by ${((peak - rss0) / 2 ** 20).toFixed(0)} MiB`);
    assert.ok(h.answers.length >= 1, `/healthz answered ${h.answers.length} times (${h.failures} failures)`);
    assert.ok(Math.max(...h.answers) < 5000, `/healthz took up to ${Math.round(Math.max(...h.answers))} ms`);
    return result;
  }

  const expectError = async (r: Response, status: number, code: string) => {
    const text = await r.text();
    assert.equal(r.status, status, text);
    const body = JSON.parse(text);
    assert.equal(body.error.code, code, text);
    assert.doesNotMatch(text, /\bat [\w.<>]+ \(|\.ts:\d+/);
    return { body, text, headers: r.headers };
  };

  it("a long thin volume for the 3D model: its windows are costed (413 ERR_TOO_MUCH_WORK)", async () => {
    for (const shape of [
      [1, 1, 32767],
      [32767, 1, 1],
      [40, 40, 8000],
    ] as [number, number, number][]) {
      const body = await zeroNifti(shape);
      const r = await hostile(() => post("/v1/segment?model=vnet3d-32", body, "application/gzip"));
      await expectError(r, 413, "ERR_TOO_MUCH_WORK");
    }
  });

  it("tiny slices a 2D model enlarges to its input size: costed after preprocessing (413 ERR_TOO_MUCH_WORK)", async () => {
    const nifti = await zeroNifti([2, 2, 4096]);
    assert.ok(nifti.length < 4096);
    await expectError(await hostile(() => post("/v1/segment", nifti, "application/gzip")), 413, "ERR_TOO_MUCH_WORK");
    for (const shape of ["2000000,1,1", "8192,1,1", "3000,2,2"]) {
      const r = await hostile(() =>
        post("/v1/segment", new Uint8Array(16), "application/octet-stream", { "x-shape": shape }),
      );
      await expectError(r, 413, "ERR_TOO_MUCH_WORK");
    }
  });

  it("a header that lies about the size: refused from the header, nothing inflated (413)", async () => {
    const r = await hostile(async () => post("/v1/segment", await lyingNifti([32767, 32767, 64]), "application/gzip"));
    await expectError(r, 413, "ERR_TOO_MANY_VOXELS");
    for (const shape of [
      [4096, 4096, 2],
      [32767, 1, 1024],
    ] as [number, number, number][]) {
      const r2 = await hostile(async () => post("/v1/segment", await lyingNifti(shape), "application/gzip"));
      await expectError(r2, 413, "ERR_TOO_MANY_VOXELS");
    }
  });

  it("a gzip bomb behind a small header: inflated only to the declared size (200, RSS flat)", async () => {
    const bomb = await zeroNifti([64, 64, 4], 256 * 2 ** 20);
    assert.ok(bomb.length < 400_000, `${bomb.length} bytes`);
    const r = await hostile(() => post("/v1/segment?rle=false", bomb, "application/gzip"));
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual((await r.json()).shape, [64, 64, 4]);
  });

  it("?probabilities=true on a large, cheap image: the answer is costed (413 ERR_OUTPUT_TOO_LARGE)", async () => {
    const png = zeroPng(2600, 2600);
    assert.ok(png.length < 100_000);
    const r = await hostile(() => post("/v1/segment?probabilities=true", png, "image/png"));
    await expectError(r, 413, "ERR_OUTPUT_TOO_LARGE");
  });

  it("a PNG of empty deflate blocks: refused by the inflater's work bound (400 ERR_FORMAT)", async () => {
    for (const [blocks, kind] of [
      [8000, "dynamic"],
      [400_000, "fixed"],
      [250_000, "stored"],
    ] as const) {
      const png = pngWithIdat(1, 1, emptyBlocksZlib(blocks, kind, Uint8Array.of(0, 7)));
      const r = await hostile(() => post("/v1/segment", png, "image/png"));
      const { body } = await expectError(r, 400, "ERR_FORMAT");
      assert.match(body.error.message, /blocks|work bound/);
    }
  });

  it("a body that is not a PNG sent as image/png: 400 ERR_FORMAT, not 413", async () => {
    for (const body of [new Uint8Array(4096).fill(0xff), new TextEncoder().encode("<html>".repeat(100))]) {
      const r = await hostile(() => post("/v1/segment", body, "image/png"));
      await expectError(r, 400, "ERR_FORMAT");
    }
  });

  it("JSON built to be expensive to parse (100,000 keys, 8 M deep, 4 M numbers): 400 ERR_JSON before JSON.parse", async () => {
    const n = 8 * 2 ** 20;
    for (const [body, limit] of [
      [jsonWithKeys(100_000), "maxValues"],
      [`${"[".repeat(n)}${"]".repeat(n)}`, "maxDepth"],
      [`{"data":[${"1,".repeat(n / 2)}1]}`, "maxValues"],
    ] as const) {
      const r = await hostile(() => post("/v1/segment", body, "application/json"));
      const { text, body: e } = await expectError(r, 400, "ERR_JSON");
      assert.equal(e.error.details.limit, limit);
      assert.ok(text.length < 4096, `${text.length} bytes of error for ${body.length} in`);
    }
  });

  it("wrong methods: 405 with Allow", async () => {
    const r = await hostile(() => fetch(`${base}/v1/segment`, { method: "PUT", headers: auth }));
    const { headers } = await expectError(r, 405, "ERR_METHOD_NOT_ALLOWED");
    assert.equal(headers.get("allow"), "POST");
  });

  it("a malformed Authorization header: reported as malformed (401)", async () => {
    for (const authorization of ["Bearer", `Basic ${TOKEN}`, `Bearer ${TOKEN} ${TOKEN}`, "x".repeat(8000)]) {
      const r = await hostile(() => fetch(`${base}/v1/models`, { headers: { authorization } }));
      const { body } = await expectError(r, 401, "ERR_UNAUTHORIZED");
      assert.equal(body.error.details.reason, "malformed");
    }
  });

  it("stalled uploads: each answered 408 ERR_UPLOAD_TIMEOUT at the deadline, buffered bytes bounded", async () => {
    const answers = await hostile(() =>
      Promise.all(Array.from({ length: 20 }, () => rawRequest(s.port, stalledUpload(30 * 2 ** 20, 2 ** 20)))),
    );
    for (const a of answers) {
      assert.match(a, /^HTTP\/1\.1 408/, a.slice(0, 200));
      assert.match(a, /ERR_UPLOAD_TIMEOUT/);
    }
  });

  it("a body in millions of one-byte chunks: 400 ERR_BODY_FRAGMENTED early, RSS flat", async () => {
    const answer = await hostile(() =>
      rawRequest(s.port, (socket) => {
        socket.write(
          `POST /v1/segment HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
            "Content-Type: application/octet-stream\r\nX-Shape: 1000,1000\r\nTransfer-Encoding: chunked\r\n\r\n",
        );
        const block = Buffer.from("1\r\n\0\r\n".repeat(10_000), "latin1");
        let sent = 0;
        const more = () => {
          while (sent < 400 && !socket.destroyed) {
            sent++;
            if (!socket.write(block)) return void socket.once("drain", more);
          }
        };
        socket.on("error", () => {});
        more();
      }),
    );
    assert.match(answer, /^HTTP\/1\.1 400/, answer.slice(0, 200));
    assert.match(answer, /ERR_BODY_FRAGMENTED/);
  });

  it("aborted uploads: logged as client aborts, without a stack", async () => {
    const before = s.logs.length;
    await hostile(async () => {
      await Promise.all(Array.from({ length: 10 }, () => abortedUpload(s.port)));
      // The server sees each abort when the socket closes: give it a moment.
      for (let i = 0; i < 100 && s.logs.slice(before).filter((l) => l.code === "ERR_CLIENT_ABORT").length < 10; i++)
        await new Promise((r) => setTimeout(r, 50));
    });
    const fresh = s.logs.slice(before);
    assert.equal(fresh.filter((l) => l.code === "ERR_CLIENT_ABORT" && l.status === 499).length, 10);
    assert.ok(
      fresh.every((l) => !("stack" in l) && l.level !== "error"),
      JSON.stringify(fresh.slice(0, 3)),
    );
  });

  it("overload: only 200s and 503s with Retry-After; the queue sheds", async () => {
    const stack = f32Bytes(new Float32Array(32 * 64 * 64).map((_, i) => (i % 64) / 64));
    const rs = await hostile(() =>
      Promise.all(
        Array.from({ length: 48 }, () =>
          post("/v1/segment?rle=false", stack, "application/octet-stream", { "x-shape": "32,64,64" }).then(
            async (r) => ({ status: r.status, retry: r.headers.get("retry-after"), text: await r.text() }),
          ),
        ),
      ),
    );
    const statuses = new Set(rs.map((r) => r.status));
    assert.ok(
      [...statuses].every((x) => x === 200 || x === 503),
      [...statuses].join(),
    );
    const shed = rs.filter((r) => r.status === 503);
    assert.ok(shed.length >= 1 && rs.some((r) => r.status === 200), `${shed.length} of ${rs.length} shed`);
    for (const r of shed) {
      const { error } = JSON.parse(r.text);
      assert.match(error.code, /^(ERR_BUSY|ERR_TIMEOUT)$/);
      // Retry-After is the measured wait of the queued work, in whole seconds, at least 1.
      const wait = error.details?.expectedWaitMs;
      if (wait !== undefined) assert.equal(r.retry, String(Math.max(1, Math.ceil(wait / 1000))), r.text);
      else assert.match(r.retry ?? "", /^[1-9]\d*$/);
    }
  });

  it("a queue whose measured work outlasts the deadline: refused by expected wait before it is full (503 ERR_BUSY)", async () => {
    const shape = "96,96,96"; // 125 windows of the 3D model: seconds of work each on a shared 2-core machine
    const vol = f32Bytes(new Float32Array(96 ** 3).map((_, i) => (i % 96) / 96));
    const send = () =>
      post("/v1/segment?model=vnet3d-32&rle=false", vol, "application/octet-stream", { "x-shape": shape }).then(
        async (r) => ({ status: r.status, retry: r.headers.get("retry-after"), text: await r.text() }),
      );
    const first = await send(); // the server measures one
    assert.ok(first.status === 200 || first.status === 503, first.text);
    const rs = await hostile(() => Promise.all(Array.from({ length: 6 }, send)));
    assert.ok(
      rs.every((r) => r.status === 200 || r.status === 503),
      rs.map((r) => r.status).join(),
    );
    const byWait = rs
      .filter((r) => r.status === 503)
      .map((r) => ({ ...r, error: JSON.parse(r.text).error }))
      .filter((r) => r.error.code === "ERR_BUSY" && r.error.details.serviceMs !== undefined);
    assert.ok(byWait.length >= 1, rs.map((r) => r.text.slice(0, 120)).join("\n"));
    for (const r of byWait) {
      assert.ok(r.error.details.queued < SERVER.limits.queue, JSON.stringify(r.error));
      assert.equal(r.retry, String(Math.max(1, Math.ceil(r.error.details.expectedWaitMs / 1000))));
    }
  });

  it("a job that runs past the deadline: answered by the deadline (200 in time, or 503 ERR_TIMEOUT at it)", async () => {
    const shape = [160, 96, 96]; // 225 windows: longer than the 3 s limit here
    const vol = f32Bytes(new Float32Array(shape[0] * shape[1] * shape[2]).map((_, i) => (i % 50) / 50));
    const t0 = performance.now();
    const r = await hostile(() =>
      post("/v1/segment?model=vnet3d-32&rle=false", vol, "application/octet-stream", { "x-shape": shape.join(",") }),
    );
    const ms = performance.now() - t0;
    if (r.status !== 200) await expectError(r, 503, "ERR_TIMEOUT");
    else await r.arrayBuffer();
    assert.ok(ms < SERVER.limits.timeoutMs + 1500, `answered after ${Math.round(ms)} ms`);
  });

  it("large gzip volumes: inflated and converted in the workers, /healthz answers fast throughout", async () => {
    const nifti = await zeroNifti([512, 512, 8]);
    const health = pollHealth();
    const rs = await hostile(() =>
      Promise.all([1, 2, 3].map(() => post("/v1/segment?rle=false", nifti, "application/gzip"))),
    );
    const h = await health.stop();
    const texts = await Promise.all(rs.map((r) => r.text()));
    assert.ok(
      rs.some((r) => r.status === 200),
      texts.map((t) => t.slice(0, 200)).join("\n"),
    );
    for (const [i, r] of rs.entries()) {
      if (r.status === 200) continue;
      assert.equal(r.status, 503, texts[i]);
      assert.match(JSON.parse(texts[i]).error.code, /^(ERR_BUSY|ERR_TIMEOUT)$/);
    }
    // In the event loop, the three inflates (8 MiB each), float conversions and resizes held it for seconds.
    assert.ok(Math.max(...h.answers) < 1000, `/healthz took up to ${Math.round(Math.max(...h.answers))} ms`);
  });

  it("a connection flood: connections past the cap are closed; idle ones time out; /healthz then answers", async () => {
    const sockets = await Promise.all(Array.from({ length: 84 }, () => openIdle(s.port)));
    const closedSoon = await Promise.all(sockets.map((k) => closedWithin(k.socket, 1000)));
    assert.ok(closedSoon.filter(Boolean).length >= 20, `${closedSoon.filter(Boolean).length} closed at once`);
    // The rest sent nothing: the idle-socket timeout (the request time limit + 2 s, 5 s here) closes them.
    const all = await Promise.all(sockets.map((k) => closedWithin(k.socket, 12_000)));
    assert.ok(all.every(Boolean));
    await hostile(async () => {
      const r = await fetch(`${base}/healthz`);
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    });
  });
});

/** Sends `head` and a part of a body, then returns the whole answer once the server closes (or 20 s). */
function rawRequest(port: number, send: (socket: Socket) => void): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => send(socket));
    let text = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    const timer = setTimeout(done, 20_000);
    socket.on("data", (d) => {
      text += d.toString("latin1");
    });
    socket.on("close", done);
    socket.on("error", done);
  });
}

/** A POST declaring `declared` bytes that sends `sent` of them and then stalls. */
function stalledUpload(declared: number, sent: number): (socket: Socket) => void {
  return (socket) => {
    socket.write(
      `POST /v1/segment HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: application/octet-stream\r\nX-Shape: 2048,2048,2\r\nContent-Length: ${declared}\r\n\r\n`,
    );
    socket.write(Buffer.alloc(sent));
  };
}

/** A POST that sends half its body and then closes the connection. */
function abortedUpload(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(
        `POST /v1/segment HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          "Content-Type: application/octet-stream\r\nX-Shape: 64,64\r\nContent-Length: 16384\r\n\r\n",
      );
      socket.write(Buffer.alloc(8192), () => setTimeout(() => socket.destroy(), 50));
    });
    socket.on("close", () => resolve());
    socket.on("error", () => {});
  });
}

/** A connection that never sends a byte. */
function openIdle(port: number): Promise<{ socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => resolve({ socket }));
    socket.on("error", () => {});
  });
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed || socket.readyState === "closed") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
