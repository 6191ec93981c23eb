/** Metadata keys bcpseg writes into an ONNX model's `metadata_props`, in file order (`bcpseg.sha256` always last). */
export const ONNX_METADATA_KEYS = {
  /** JSON of core's ModelContract (validated with parseContract). */
  contract: "bcpseg.contract",
  /** JSON of the architecture: { kind, inChannels, numClasses, width }. */
  arch: "bcpseg.arch",
  /** "fp32" | "fp16" | "int8-weights" | "int8-static". */
  precision: "bcpseg.precision",
  /** JSON of the quantisation settings (int8-static: calibration method, percentile, sample count). */
  quantization: "bcpseg.quantization",
  /** JSON of the training configuration. */
  training: "bcpseg.training",
  /** JSON of the data split (labeled / unlabeled / validation names). */
  split: "bcpseg.split",
  /** JSON of the validation metrics. */
  metrics: "bcpseg.metrics",
  /**
   * Lower-case hex SHA-256 of the serialized GraphProto — the exact bytes of ModelProto field 7 as stored in the
   * file, so it covers every node, initializer (all weights), input and output, and nothing of the metadata.
   */
  sha256: "bcpseg.sha256",
} as const;

/** The ONNX producer_name of every bcpseg export. */
export const ONNX_PRODUCER_NAME = "bcpseg";
