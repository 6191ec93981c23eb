export { binomialBlur } from "./blur.ts";
export { type CardiacPatient, type CardiacPatientOptions, drawCardiacPatient } from "./cardiac-patient.ts";
export { smoothField } from "./smooth-field.ts";
export { type SynthSlice, type SynthSlice2dOptions, synthSlice2d } from "./synth-slice-2d.ts";
export { type SynthSlices2d, type SynthSlices2dOptions, synthSlices2d } from "./synth-slices-2d.ts";
export { type SynthVolume, type SynthVolume3dOptions, synthVolume3d } from "./synth-volume-3d.ts";
export { type SynthVolumes3d, type SynthVolumes3dOptions, synthVolumes3d } from "./synth-volumes-3d.ts";
