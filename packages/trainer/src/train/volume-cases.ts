import type { Dataset, Sample } from "../data/index.ts";

/**
 * Groups a 2-D slice dataset into per-patient [S, H, W] volumes (slices in list order), the shape the ACDC
 * evaluation protocol expects — used for synthetic validation sets, whose samples are single slices.
 */
export async function slicesToVolumes(dataset: Dataset): Promise<Dataset> {
  const order: string[] = [];
  const byPatient = new Map<string, number[]>();
  dataset.patients.forEach((p, i) => {
    if (!byPatient.has(p)) {
      byPatient.set(p, []);
      order.push(p);
    }
    byPatient.get(p)?.push(i);
  });
  const volumes: Sample[] = [];
  for (const patient of order) {
    const slices = await Promise.all((byPatient.get(patient) ?? []).map((i) => dataset.get(i)));
    const [h, w] = slices[0].shape;
    const image = new Float32Array(slices.length * h * w);
    const label = new Uint8Array(slices.length * h * w);
    slices.forEach((s, k) => {
      image.set(s.image, k * h * w);
      if (s.label !== undefined) label.set(s.label, k * h * w);
    });
    volumes.push({ image, label, shape: [slices.length, h, w], id: patient, patient });
  }
  return {
    name: `${dataset.name} (volumes)`,
    ids: order,
    patients: order,
    length: order.length,
    rank: 3,
    classes: dataset.classes,
    get: (index) => Promise.resolve(volumes[index]),
  };
}

/** The first `max` samples of a dataset (all when max is 0). */
export function firstCases(dataset: Dataset, max: number): Dataset {
  if (max <= 0 || max >= dataset.ids.length) return dataset;
  return {
    ...dataset,
    ids: dataset.ids.slice(0, max),
    patients: dataset.patients.slice(0, max),
    get: (i) => dataset.get(i),
  };
}
