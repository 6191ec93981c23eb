import { ArgumentError, createRng, type Rng, type RngState } from "@bcpseg/core";
import { permutation } from "./permutation.ts";

/** Where a {@link TwoStreamBatchSampler} stands: replaying from it gives the same batches bit for bit. */
export interface TwoStreamSamplerState {
  /** Generator state at the start of epoch `epoch` (before its permutations were drawn). */
  readonly rng: RngState;
  /** Epoch the next batch belongs to (0-based). */
  readonly epoch: number;
  /** Index of the next batch inside that epoch. */
  readonly batch: number;
}

/**
 * Official `TwoStreamBatchSampler(primary, secondary, batch_size, secondary_batch_size)`: an epoch is
 * floor(len(primary) / primary_bs) batches; each batch is primary_bs indices of one permutation of
 * `primary` (labeled, no repeats in an epoch) followed by secondary_bs indices from an endless chain of
 * permutations of `secondary` (unlabeled), restarted every epoch. Draws come from `rng`, which the
 * sampler owns from then on (give it a fork). numpy's stream cannot be reproduced, only the structure.
 */
export class TwoStreamBatchSampler implements Iterable<number[]> {
  readonly primary: readonly number[];
  readonly secondary: readonly number[];
  readonly batchSize: number;
  readonly primaryBatchSize: number;
  readonly secondaryBatchSize: number;
  #rng: Rng;
  #epochStart: RngState;
  #epoch = 0;
  #batch = 0;
  #batches: number[][] | undefined;

  constructor(
    primary: readonly number[],
    secondary: readonly number[],
    batchSize: number,
    secondaryBatchSize: number,
    rng: Rng,
  ) {
    const fn = "TwoStreamBatchSampler";
    for (const [name, list] of [
      ["primary", primary],
      ["secondary", secondary],
    ] as const) {
      if (!Array.isArray(list) || list.some((i) => !Number.isInteger(i) || i < 0)) {
        throw new ArgumentError(fn, name, "must be an array of integer indices >= 0");
      }
    }
    if (!Number.isInteger(secondaryBatchSize) || secondaryBatchSize < 0) {
      throw new ArgumentError(fn, "secondaryBatchSize", `must be an integer >= 0, got ${secondaryBatchSize}`);
    }
    if (!Number.isInteger(batchSize) || batchSize <= secondaryBatchSize) {
      throw new ArgumentError(fn, "batchSize", `must be an integer > secondaryBatchSize, got ${batchSize}`);
    }
    const primaryBatchSize = batchSize - secondaryBatchSize;
    if (primary.length < primaryBatchSize) {
      throw new ArgumentError(fn, "primary", `has ${primary.length} indices, a batch needs ${primaryBatchSize}`);
    }
    if (secondary.length < secondaryBatchSize) {
      throw new ArgumentError(fn, "secondary", `has ${secondary.length} indices, a batch needs ${secondaryBatchSize}`);
    }
    this.primary = [...primary];
    this.secondary = [...secondary];
    this.batchSize = batchSize;
    this.primaryBatchSize = primaryBatchSize;
    this.secondaryBatchSize = secondaryBatchSize;
    this.#rng = rng;
    this.#epochStart = rng.state();
  }

  /** Batches per epoch: floor(len(primary) / primary_bs), the official `__len__`. */
  get length(): number {
    return Math.floor(this.primary.length / this.primaryBatchSize);
  }

  /** Epoch of the next batch (0-based). */
  get epoch(): number {
    return this.state().epoch;
  }

  /** The next batch (labeled indices first); starts a new epoch when the current one is spent. */
  next(): number[] {
    if (this.#batches === undefined || this.#batch >= this.#batches.length) this.#begin();
    return [...(this.#batches as number[][])[this.#batch++]];
  }

  /** The remaining batches of the current epoch (a whole epoch when none is under way) — Python `__iter__`. */
  *[Symbol.iterator](): Iterator<number[]> {
    do yield this.next();
    while (this.#batch < (this.#batches as number[][]).length);
  }

  /** A snapshot to save with a checkpoint. */
  state(): TwoStreamSamplerState {
    if (this.#batches !== undefined && this.#batch >= this.#batches.length) {
      return { rng: this.#rng.state(), epoch: this.#epoch + 1, batch: 0 };
    }
    return {
      rng: this.#batches === undefined ? this.#rng.state() : this.#epochStart,
      epoch: this.#epoch,
      batch: this.#batch,
    };
  }

  /** Continues from a snapshot taken by {@link state} on a sampler with the same indices and sizes. */
  restore(state: TwoStreamSamplerState): void {
    const { epoch, batch } = state;
    if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(batch) || batch < 0 || batch >= this.length) {
      throw new ArgumentError(
        "TwoStreamBatchSampler.restore",
        "state",
        `has epoch ${epoch}, batch ${batch} of ${this.length}`,
      );
    }
    this.#rng = createRng(state.rng);
    this.#epochStart = this.#rng.state();
    this.#epoch = epoch;
    this.#batch = batch;
    this.#batches = undefined;
  }

  #begin(): void {
    if (this.#batches !== undefined) {
      this.#epoch++;
      this.#batch = 0;
    }
    this.#epochStart = this.#rng.state();
    const rng = this.#rng;
    const first = permutation(this.primary, rng);
    const p = this.primaryBatchSize;
    let chain: number[] = [];
    let at = 0;
    this.#batches = Array.from({ length: this.length }, (_, b) => {
      const batch = first.slice(b * p, (b + 1) * p);
      for (let k = 0; k < this.secondaryBatchSize; k++) {
        if (at >= chain.length) [chain, at] = [permutation(this.secondary, rng), 0];
        batch.push(chain[at++]);
      }
      return batch;
    });
  }
}
