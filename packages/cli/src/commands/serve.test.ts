import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { renderHelp } from "../cli/render-help.ts";
import { runCli } from "../cli/run-cli.ts";
import { serveCommand } from "./serve.ts";

const MODEL = fileURLToPath(new URL("../../../edge-api/test/fixtures/unet2d-64-int8.onnx", import.meta.url));

describe("serve --json", () => {
  it("is NDJSON: a listening line while serving, then the stopped line", { timeout: 60_000 }, async () => {
    const stop = new AbortController();
    const io = { ...captureIo(), signal: stop.signal };
    const done = runCli(["serve", MODEL, "--port", "0", "--json", "--quiet"], io, [serveCommand]);
    while (!io.out().includes("\n")) await new Promise((r) => setTimeout(r, 50));
    const first = JSON.parse(io.out().split("\n")[0]);
    assert.match(first.listening.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(first.listening.models, ["unet2d-64"]);
    const r = await fetch(`${first.listening.url}/healthz`);
    assert.equal(r.status, 200);
    stop.abort();
    assert.equal(await done, 0);
    const lines = io
      .out()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[1], { stopped: first.listening });
  });

  it("says so in its help", () => {
    assert.match(renderHelp(serveCommand, ["serve"]), /--json +Print NDJSON on stdout: a \{"listening"/);
  });
});
