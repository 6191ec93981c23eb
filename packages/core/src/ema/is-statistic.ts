/** Buffer name endings treated as normalisation statistics by default (PyTorch and Keras/tfjs names). */
export const STATISTIC_SUFFIXES = [
  "running_mean",
  "running_var",
  "num_batches_tracked",
  "moving_mean",
  "moving_variance",
] as const;

/** Default test of whether a state key is a statistic (buffer) rather than a trainable parameter. */
export function isStatistic(key: string): boolean {
  return STATISTIC_SUFFIXES.some((suffix) => key.endsWith(suffix));
}
