import { encodeNifti, encodePng, largestComponentPerClass, preprocess, reverseAxes } from "@bcpseg/core";
import { contractForConfig } from "@bcpseg/trainer";
import { inputError } from "../errors/cli-error.ts";
import { readImage } from "../io/read-image.ts";
import { loadStudent } from "./load-student.ts";
import { outputFormat, type Predictor } from "./predictor.ts";
import { loadTrainer } from "./trainer-lib.ts";

/**
 * A training checkpoint run with tfjs: the contract its export would carry (contractForConfig), core's
 * preprocess, the trainer's predictVolume2d (per slice) or predictVolume3d (sliding window), the largest
 * component per class where the contract or the caller asks, and the labels mapped back to the input.
 * NIfTI volumes [X, Y, Z] meet a 2-D model as the [Z, Y, X] stack, as in the edge API.
 */
export async function checkpointPredictor(path: string, backend?: string): Promise<Predictor> {
  const t = await loadTrainer();
  const student = await loadStudent(path, backend);
  const contract = contractForConfig(student.config);
  const is2d = contract.task === "2d";
  return {
    async predict(input, { dataset, largestComponent }) {
      const image = await readImage(input, dataset);
      if (is2d ? image.shape.length > 3 : image.shape.length !== 3) {
        const wants = is2d ? "[H, W], [S, H, W] or a NIfTI volume" : "a volume [X, Y, Z]";
        throw inputError(`${input.path}: the model takes ${wants}, got [${image.shape.join(", ")}] [ERR_SHAPE]`);
      }
      const reversed = is2d && image.kind === "nifti";
      const arranged = reversed ? reverseAxes(image.data, image.shape) : image;
      const prep = preprocess(contract, arranged);
      const spatial = prep.info.spatialShape;
      const lead = is2d ? prep.info.slices : 1;
      const labels = is2d
        ? await t.predictVolume2d(student.model, prep.input, [lead, ...spatial], { size: spatial })
        : await t.predictVolume3d(student.model, prep.input, spatial, {
            patch: contract.input.size,
            stride: contract.inference.stride ?? contract.input.size,
          });
      if (largestComponent ?? contract.postprocessing.largestComponent) {
        const connectivity = contract.postprocessing.connectivity;
        const n = labels.length / lead;
        for (let s = 0; s < lead; s++) {
          const view = labels.subarray(s * n, (s + 1) * n);
          view.set(largestComponentPerClass(view, spatial, connectivity ? { connectivity } : {}));
        }
      }
      const restored = prep.restore(labels);
      const out = reversed ? reverseAxes(restored.data, restored.shape) : restored;
      const format = outputFormat(image.kind, out.shape);
      const [h, w] = out.shape.slice(-2);
      const bytes =
        format === "png"
          ? encodePng({ data: out.data, width: w, height: h, channels: 1, bitDepth: 8 })
          : encodeNifti({
              data: out.data,
              shape: out.shape,
              dtype: "uint8",
              header: image.nifti?.header,
              gzip: true,
            });
      return { format, bytes, labels: out.data, shape: out.shape };
    },
    dispose: async () => student.model.dispose(),
  };
}
