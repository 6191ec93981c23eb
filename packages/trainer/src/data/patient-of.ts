/**
 * Patient of a sample id: the `patientNNN` prefix of ACDC names (`patient099_frame01_slice_15` →
 * `patient099`), otherwise the id itself (one volume per patient, as LA).
 */
export function patientOf(id: string): string {
  const m = /^(patient\d+)/i.exec(id);
  return m ? m[1] : id;
}
