/** Run lengths of the mask `labels == cls` over the flat row-major array, alternating 0-runs and 1-runs, 0 first. */
export function runLengths(labels: Uint8Array, cls: number): number[] {
  const counts: number[] = [];
  let current = 0;
  let run = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] === cls ? 1 : 0;
    if (v === current) run++;
    else {
      counts.push(run);
      current = v;
      run = 1;
    }
  }
  counts.push(run);
  return counts;
}

/** The mask a {@link runLengths} list describes (1 inside, 0 outside). */
export function decodeRunLengths(counts: readonly number[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  counts.forEach((n, k) => {
    if (k % 2 === 1) out.fill(1, at, at + n);
    at += n;
  });
  return out;
}
