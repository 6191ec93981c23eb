// `bcpseg train --threads`: the wasm backend's XNNPACK threads, checked before any training.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { backendInfo } from "@bcpseg/trainer";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const TINY = ["--preset", "synth2d", "--size", "32,32", "--width", "0.125", "--batch", "2", "--max-iterations", "2"];

describe("bcpseg train --threads", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-threads-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const bad of ["9", "0", "two"]) {
    it(`rejects --threads ${bad} before training`, async () => {
      const io = captureIo(dir);
      const code = await runCli(["train", ...TINY, "--out", "run-bad", "--threads", bad, "--json"], io, COMMANDS);
      assert.notEqual(code, 0);
      assert.match(io.err() + io.out(), /threads/);
    });
  }

  it("puts --threads in the run's config (--dry-run shows it)", async () => {
    const io = captureIo(dir);
    const code = await runCli(
      ["train", ...TINY, "--out", "run-dry", "--threads", "auto", "--dry-run", "--json"],
      io,
      COMMANDS,
    );
    assert.equal(code, 0, io.err());
    assert.equal(JSON.parse(io.out()).config.threads, "auto");
  });

  it("trains on wasm with 2 threads and reports them", { skip: SLOW, timeout: 120_000 }, async () => {
    const io = captureIo(dir);
    const args = ["train", ...TINY, "--out", "run-2", "--backend", "wasm", "--threads", "2", "--quiet", "--json"];
    const code = await runCli(args, io, COMMANDS);
    assert.equal(code, 0, io.err());
    const r = JSON.parse(io.out());
    assert.equal(r.backend, "wasm");
    assert.equal(r.threads, 2);
    assert.equal(backendInfo().threads, 2);
  });
});
