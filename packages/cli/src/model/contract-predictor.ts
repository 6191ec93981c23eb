import { encodeNifti, encodePng, type ModelContract, type ModelRun, segmentImage } from "@bcpseg/core";
import { inputError } from "../errors/cli-error.ts";
import { readImage } from "../io/read-image.ts";
import { outputFormat, type Predictor } from "./predictor.ts";

// Label maps are long runs: no filter and fast deflate, as the edge API's label PNGs.
const LABEL_PNG = { filter: 0, level: 1 } as const;

/** A model as `predict` and `eval` drive it: its contract and a run (an onnxruntime session or a tfjs network). */
export interface ContractModel {
  readonly contract: ModelContract;
  readonly run: ModelRun;
  /** What `run` returns (default "probs"). */
  readonly output?: "probs" | "logits";
  /** 2D slices per run (default 1). */
  readonly batch?: number;
  dispose(): Promise<void>;
}

/**
 * Labels input files with core's segmentImage — the pipeline the edge API serves — called directly, no HTTP:
 * PNG [H, W] and HDF5 stacks [S, H, W] as read, NIfTI [X, Y, Z] in its own axis order (slice z = the [Y, X]
 * image for a 2-D model). PNG in → label PNG, NIfTI in → NIfTI with the input's header, HDF5 → PNG or NIfTI.
 */
export function contractPredictor(model: ContractModel): Predictor {
  const { contract } = model;
  const is2d = contract.task === "2d";
  const segmentVolume: Predictor["segmentVolume"] = async (volume, { largestComponent }) => {
    const shape = volume.shape.length === 2 ? [...volume.shape, 1] : [...volume.shape];
    if (shape.length !== 3) {
      throw inputError(`the model takes a volume [X, Y, Z], got [${volume.shape.join(", ")}] [ERR_SHAPE]`);
    }
    const seg = await segmentImage(contract, { data: volume.data, shape }, model.run, {
      slicesLast: is2d,
      largestComponent,
      output: model.output,
      batch: model.batch,
    });
    return { labels: seg.labels, shape: [...volume.shape] };
  };
  return {
    contract,
    segmentVolume,
    async predict(input, { dataset, largestComponent }) {
      const image = await readImage(input, dataset);
      const nifti2d = is2d && image.kind === "nifti";
      const shape = nifti2d && image.shape.length === 2 ? [...image.shape, 1] : image.shape;
      if (is2d ? shape.length > 3 : shape.length !== 3) {
        const wants = is2d ? "[H, W], [S, H, W] or a NIfTI volume" : "a volume [X, Y, Z]";
        throw inputError(`${input.path}: the model takes ${wants}, got [${image.shape.join(", ")}] [ERR_SHAPE]`);
      }
      const seg = await segmentImage(contract, { data: image.data, shape }, model.run, {
        slicesLast: nifti2d,
        largestComponent,
        output: model.output,
        batch: model.batch,
      });
      const out = { data: seg.labels, shape: image.shape };
      const format = outputFormat(image.kind, out.shape);
      const [h, w] = out.shape.slice(-2);
      const bytes =
        format === "png"
          ? encodePng({ data: out.data, width: w, height: h, channels: 1, bitDepth: 8 }, LABEL_PNG)
          : encodeNifti({
              data: out.data,
              shape: out.shape,
              dtype: "uint8",
              header: image.nifti?.header,
              gzip: true,
            });
      return { format, bytes, labels: out.data, shape: out.shape };
    },
    dispose: () => model.dispose(),
  };
}
