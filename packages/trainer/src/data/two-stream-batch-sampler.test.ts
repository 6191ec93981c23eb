import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "@bcpseg/core";
import fc from "fast-check";
import fixtures from "../../../core/test/fixtures/schedules_and_shapes.json" with { type: "json" };
import { TwoStreamBatchSampler } from "./two-stream-batch-sampler.ts";

const ref = fixtures.two_stream_batch_sampler;

/** Structure of one epoch as the official sampler gives it. */
function checkEpoch(batches: number[][], primary: number[], secondary: number[], bs: number, sbs: number) {
  const pbs = bs - sbs;
  assert.equal(batches.length, Math.floor(primary.length / pbs));
  const labeled = batches.flatMap((b) => b.slice(0, pbs));
  assert.equal(new Set(labeled).size, labeled.length, "no labeled repeats within an epoch");
  for (const b of batches) {
    assert.equal(b.length, bs);
    assert.ok(
      b.slice(0, pbs).every((i) => primary.includes(i)),
      "labeled first",
    );
    assert.ok(
      b.slice(pbs).every((i) => secondary.includes(i)),
      "unlabeled after",
    );
  }
  // The unlabeled stream is a chain of permutations: each full block of len(secondary) is one permutation.
  const unlabeled = batches.flatMap((b) => b.slice(pbs));
  if (secondary.length === 0) return assert.equal(unlabeled.length, 0);
  for (let s = 0; s + secondary.length <= unlabeled.length; s += secondary.length) {
    assert.deepEqual(
      [...unlabeled.slice(s, s + secondary.length)].sort((a, b) => a - b),
      [...secondary].sort((a, b) => a - b),
    );
  }
  const tail = unlabeled.slice(unlabeled.length - (unlabeled.length % secondary.length));
  assert.equal(new Set(tail).size, tail.length);
}

describe("TwoStreamBatchSampler", () => {
  it("has the structure of the official epoch (reference vectors)", () => {
    const s = new TwoStreamBatchSampler(
      ref.primary_indices,
      ref.secondary_indices,
      ref.batch_size,
      ref.secondary_batch_size,
      createRng(0),
    );
    const epoch = [...s];
    assert.equal(s.length, ref.batches_one_epoch.length);
    assert.equal(epoch.length, ref.batches_one_epoch.length);
    checkEpoch(epoch, ref.primary_indices, ref.secondary_indices, ref.batch_size, ref.secondary_batch_size);
    checkEpoch(
      ref.batches_one_epoch,
      ref.primary_indices,
      ref.secondary_indices,
      ref.batch_size,
      ref.secondary_batch_size,
    );
  });

  it("gives the official batch counts: ACDC 10 % 136 // 12 = 11, LA 10 % 8 // 4 = 2", () => {
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    assert.equal(new TwoStreamBatchSampler(range(0, 136), range(136, 1312), 24, 12, createRng(1)).length, 11);
    assert.equal(new TwoStreamBatchSampler(range(0, 8), range(8, 80), 8, 4, createRng(1)).length, 2);
  });

  it("keeps the structure for any sizes and epochs (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer(),
        (pbs, sbs, extraP, extraS, seed) => {
          const primary = Array.from({ length: pbs + extraP }, (_, i) => i);
          const secondary = Array.from({ length: sbs + extraS }, (_, i) => 100 + i);
          const s = new TwoStreamBatchSampler(primary, secondary, pbs + sbs, sbs, createRng(seed));
          for (let e = 0; e < 3; e++) {
            const epoch = [...s];
            checkEpoch(epoch, primary, secondary, pbs + sbs, sbs);
          }
          assert.equal(s.epoch, 3);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("is seeded: same seed same batches, next() rolls into new epochs", () => {
    const mk = (seed: number) => new TwoStreamBatchSampler([0, 1, 2, 3, 4], [5, 6, 7], 3, 1, createRng(seed));
    const a = mk(7);
    const b = mk(7);
    const run = (s: TwoStreamBatchSampler) => Array.from({ length: 7 }, () => s.next());
    assert.deepEqual(run(a), run(b));
    assert.equal(a.epoch, 3); // 2 batches an epoch: 7 batches end epoch 3 part way
    assert.notDeepEqual(run(mk(7)), run(mk(8)));
  });

  it("resumes from state() mid-epoch and at an epoch boundary", () => {
    const mk = () => new TwoStreamBatchSampler([0, 1, 2, 3, 4, 5, 6], [10, 11, 12, 13], 4, 2, createRng(42));
    const full = mk();
    const expected = Array.from({ length: 12 }, () => full.next());
    for (const cut of [0, 1, 2, 3, 5, 6, 7]) {
      const s = mk();
      for (let i = 0; i < cut; i++) s.next();
      const saved = JSON.parse(JSON.stringify(s.state()));
      const resumed = new TwoStreamBatchSampler([0, 1, 2, 3, 4, 5, 6], [10, 11, 12, 13], 4, 2, createRng(999));
      resumed.restore(saved);
      assert.deepEqual(
        Array.from({ length: 12 - cut }, () => resumed.next()),
        expected.slice(cut),
        `cut ${cut}`,
      );
    }
  });

  it("rejects bad sizes and states", () => {
    const rng = createRng(0);
    assert.throws(() => new TwoStreamBatchSampler([0], [1, 2], 4, 2, rng), { code: "ERR_ARGUMENT" });
    assert.throws(() => new TwoStreamBatchSampler([0, 1], [2], 4, 2, rng), { code: "ERR_ARGUMENT" });
    assert.throws(() => new TwoStreamBatchSampler([0, 1], [2, 3], 2, 2, rng), { code: "ERR_ARGUMENT" });
    assert.throws(() => new TwoStreamBatchSampler([0, -1], [2, 3], 4, 2, rng), { code: "ERR_ARGUMENT" });
    const s = new TwoStreamBatchSampler([0, 1], [2, 3], 4, 2, rng);
    assert.throws(() => s.restore({ rng: [1, 2, 3, 4], epoch: 0, batch: 1 }), { code: "ERR_ARGUMENT" });
  });
});
