/** Counts onnxruntime tensors made and disposed, so tests (and /readyz) can see that none leak. */
export class TensorLedger {
  created = 0;
  disposed = 0;

  get live(): number {
    return this.created - this.disposed;
  }

  /** Registers a tensor and returns it. */
  track<T extends { dispose(): void }>(t: T): T {
    this.created++;
    return t;
  }

  /** Disposes tensors registered with `track` (or handed out by session.run) exactly once each. */
  release(...tensors: ReadonlyArray<{ dispose(): void } | undefined>): void {
    for (const t of tensors) {
      if (!t) continue;
      t.dispose();
      this.disposed++;
    }
  }
}
