/** One pass of the separable [1, 2, 1] / 4 binomial blur over [H, W] (edges clamped); returns a fresh array. */
export function binomialBlur(image: Float32Array, height: number, width: number): Float32Array {
  const tmp = new Float32Array(image.length);
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    const r = y * width;
    for (let x = 0; x < width; x++) {
      const l = image[r + (x > 0 ? x - 1 : 0)];
      const rr = image[r + (x < width - 1 ? x + 1 : x)];
      tmp[r + x] = 0.25 * l + 0.5 * image[r + x] + 0.25 * rr;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    const r = y * width;
    for (let x = 0; x < width; x++) out[r + x] = 0.25 * tmp[up + x] + 0.5 * tmp[r + x] + 0.25 * tmp[down + x];
  }
  return out;
}
