"""Independent side of the DICOM SEG tests, with pydicom (never bcpseg code).

series OUT N    writes an N-slice series derived from pydicom's CT_small.dcm and MR_small.dcm test files (new
                SOP instance UIDs, positions stepped along the slice normal), labels from their real pixels, and
                prints per series the SegSource JSON read back from the written files
acdc H5 OUT     writes an ACDC volume (image, label of an h5 file) as an MR series with pydicom (MR_small.dcm as the
                template: new study, series and frame of reference), prints the same JSON as series
check SEG EXP   reads a SEG bcpseg wrote and compares it with EXP (JSON: labels file, shape, classes, source
                slices or source files); prints a JSON summary, exits 1 naming the first mismatch
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

SEG_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4"


def fail(msg):
    print(json.dumps({"ok": False, "error": msg}))
    sys.exit(1)


def seg_source(files):
    """SegSource fields as pydicom reads them from the source files, in the given order."""
    ds = [pydicom.dcmread(f) for f in files]
    d = ds[0]
    def s(name):
        v = d.get(name)
        return None if v is None else str(v)
    src = {
        "studyInstanceUid": d.StudyInstanceUID,
        "seriesInstanceUid": d.SeriesInstanceUID,
        "frameOfReferenceUid": d.FrameOfReferenceUID,
        "modality": d.Modality,
        "rows": int(d.Rows),
        "columns": int(d.Columns),
        "pixelSpacing": [float(v) for v in d.PixelSpacing],
        "imageOrientationPatient": [float(v) for v in d.ImageOrientationPatient],
        "slices": [
            {
                "sopClassUid": x.SOPClassUID,
                "sopInstanceUid": x.SOPInstanceUID,
                "imagePositionPatient": [float(v) for v in x.ImagePositionPatient],
            }
            for x in ds
        ],
    }
    for key, name in [
        ("patientId", "PatientID"), ("patientName", "PatientName"), ("patientBirthDate", "PatientBirthDate"),
        ("patientSex", "PatientSex"), ("studyId", "StudyID"), ("studyDate", "StudyDate"), ("studyTime", "StudyTime"),
        ("accessionNumber", "AccessionNumber"), ("referringPhysicianName", "ReferringPhysicianName"),
    ]:
        if s(name) is not None:
            src[key] = s(name)
    if d.get("SliceThickness") is not None:
        src["sliceThickness"] = float(d.SliceThickness)
    return src


def series(out, n):
    result = []
    for name, classes in [("CT_small.dcm", 4), ("MR_small.dcm", 2)]:
        base = pydicom.dcmread(get_testdata_file(name))
        iop = [float(v) for v in base.ImageOrientationPatient]
        normal = np.cross(iop[:3], iop[3:])
        step = float(base.get("SliceThickness") or 1)
        pos0 = np.array([float(v) for v in base.ImagePositionPatient])
        pixels = base.pixel_array.astype(np.float64)
        # Classes from the real intensities: quantile bins, varied per slice by a shift so slices differ.
        edges = np.quantile(pixels, np.linspace(0, 1, classes + 1)[1:-1])
        files, labels = [], []
        # Written in a scrambled slice order, so the SEG's position index is not the list order.
        order = [(k * 2) % n if n % 2 else (n - 1 - k) for k in range(n)]
        for k in order:
            d = base.copy()
            d.SOPInstanceUID = generate_uid(entropy_srcs=[name, str(k)])
            d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
            d.InstanceNumber = k + 1
            p = pos0 + k * step * normal
            d.ImagePositionPatient = [f"{v:.6f}" for v in p]
            path = os.path.join(out, f"{name[:-4]}-{k}.dcm")
            d.save_as(path, write_like_original=False)
            files.append(path)
            lab = np.digitize(np.roll(pixels, 7 * k, axis=1), edges).astype(np.uint8)
            if k == 0:
                lab[:] = 0  # one slice with no foreground: its frames are left out
            labels.append(lab)
        lpath = os.path.join(out, f"{name[:-4]}-labels.u8")
        np.stack(labels).tofile(lpath)
        result.append({"name": name[:-4], "files": files, "labels": lpath, "classes": classes, "source": seg_source(files)})
    print(json.dumps(result))


def acdc(h5_path, out):
    import h5py

    with h5py.File(h5_path, "r") as h:
        image = np.asarray(h["image"], dtype=np.float64)
        label = np.asarray(h["label"], dtype=np.uint8)
    base = pydicom.dcmread(get_testdata_file("MR_small.dcm"))
    stem = os.path.basename(h5_path)[:-3]
    study, series_uid, frame = (generate_uid(entropy_srcs=[stem, k]) for k in ("study", "series", "frame"))
    scaled = np.round((image - image.min()) / max(np.ptp(image), 1e-9) * 4095).astype(np.int16)
    files = []
    S, R, C = image.shape
    for k in range(S):
        d = base.copy()
        d.StudyInstanceUID, d.SeriesInstanceUID, d.FrameOfReferenceUID = study, series_uid, frame
        d.SOPInstanceUID = generate_uid(entropy_srcs=[stem, str(k)])
        d.file_meta.MediaStorageSOPInstanceUID = d.SOPInstanceUID
        d.PatientID, d.PatientName = stem[:16], f"ACDC^{stem}"
        d.InstanceNumber = k + 1
        d.Rows, d.Columns = R, C
        d.PixelSpacing = ["1.5625", "1.5625"]
        d.SliceThickness = "10"
        d.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
        d.ImagePositionPatient = ["-200", "-180", f"{10 * k}"]
        d.PixelData = scaled[k].tobytes()
        path = os.path.join(out, f"{stem}-{k}.dcm")
        d.save_as(path, write_like_original=False)
        files.append(path)
    lpath = os.path.join(out, f"{stem}-labels.u8")
    label.tofile(lpath)
    print(json.dumps([{"name": stem, "files": files, "labels": lpath, "classes": 4, "source": seg_source(files)}]))


def check(seg_path, exp_path):
    exp = json.load(open(exp_path))
    seg = pydicom.dcmread(seg_path)
    if seg.file_meta.TransferSyntaxUID != "1.2.840.10008.1.2.1":
        fail(f"transfer syntax {seg.file_meta.TransferSyntaxUID}")
    if seg.SOPClassUID != SEG_SOP_CLASS or seg.file_meta.MediaStorageSOPClassUID != SEG_SOP_CLASS:
        fail(f"SOP class {seg.SOPClassUID}")
    if seg.Modality != "SEG" or seg.SegmentationType != "BINARY":
        fail(f"modality {seg.Modality}, type {seg.SegmentationType}")
    if seg.SOPInstanceUID == seg.SeriesInstanceUID or not seg.SOPInstanceUID.startswith("2.25."):
        fail(f"SOP instance UID {seg.SOPInstanceUID}")
    src = exp["source"]
    if "files" in exp:
        src = seg_source(exp["files"])  # the references are checked against the files themselves
    for a, key in [("StudyInstanceUID", "studyInstanceUid"), ("FrameOfReferenceUID", "frameOfReferenceUid")]:
        if seg.get(a) != src[key]:
            fail(f"{a} {seg.get(a)} != source {src[key]}")
    if seg.SeriesInstanceUID == src["seriesInstanceUid"]:
        fail("the SEG reuses the source series UID")
    for a, key in [("PatientID", "patientId"), ("PatientName", "patientName"), ("StudyID", "studyId")]:
        if key in src and str(seg.get(a)) != src[key]:
            fail(f"{a} {seg.get(a)!r} != source {src[key]!r}")
    slices = src["slices"]
    S, R, C = len(slices), int(src["rows"]), int(src["columns"])
    if (int(seg.Rows), int(seg.Columns)) != (R, C):
        fail(f"rows/columns {seg.Rows}x{seg.Columns}")
    labels = np.fromfile(exp["labels"], dtype=np.uint8).reshape(S, R, C)
    names = exp["classes"]
    segs = seg.SegmentSequence
    if [int(x.SegmentNumber) for x in segs] != list(range(1, len(names))):
        fail(f"segment numbers {[x.SegmentNumber for x in segs]}")
    for x, name in zip(segs, names[1:]):
        if x.SegmentLabel != name[:64]:
            fail(f"segment {x.SegmentNumber} label {x.SegmentLabel!r} != {name!r}")
        for codes in (x.SegmentedPropertyCategoryCodeSequence, x.SegmentedPropertyTypeCodeSequence):
            c = codes[0]
            if not (c.CodeValue and c.CodingSchemeDesignator and c.CodeMeaning):
                fail(f"segment {x.SegmentNumber}: incomplete code")
        if len(x.RecommendedDisplayCIELabValue) != 3:
            fail("CIELab value")
    expected_codes = exp.get("codes", {})
    for x in segs:
        want = expected_codes.get(x.SegmentLabel)
        if want:
            t = x.SegmentedPropertyTypeCodeSequence[0]
            if [t.CodeValue, t.CodingSchemeDesignator] != want:
                fail(f"{x.SegmentLabel}: type code {t.CodeValue} {t.CodingSchemeDesignator} != {want}")
            # The SNOMED CT code and its meaning exist in pydicom's copy of the DICOM code tables.
            from pydicom.sr._snomed_dict import mapping as snomed
            if t.CodingSchemeDesignator == "SCT" and t.CodeValue not in snomed["SCT"]:
                fail(f"{t.CodeValue} is not a SNOMED CT code pydicom knows")

    ref_series = seg.ReferencedSeriesSequence
    if len(ref_series) != 1 or ref_series[0].SeriesInstanceUID != src["seriesInstanceUid"]:
        fail("ReferencedSeriesSequence")
    refd = {(r.ReferencedSOPClassUID, r.ReferencedSOPInstanceUID) for r in ref_series[0].ReferencedInstanceSequence}
    if refd != {(sl["sopClassUid"], sl["sopInstanceUid"]) for sl in slices}:
        fail("ReferencedInstanceSequence does not list exactly the source instances")

    by_ref = {}
    for i, sl in enumerate(slices):
        by_ref[(sl["sopInstanceUid"], sl.get("frameNumber"))] = i
    n = int(seg.NumberOfFrames)
    pix = seg.pixel_array.reshape(n, R, C)
    iop = [float(v) for v in seg.SharedFunctionalGroupsSequence[0].PlaneOrientationSequence[0].ImageOrientationPatient]
    if not np.allclose(iop, src["imageOrientationPatient"], atol=1e-9):
        fail(f"orientation {iop}")
    spacing = [float(v) for v in seg.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing]
    if not np.allclose(spacing, src["pixelSpacing"], rtol=1e-12):
        fail(f"pixel spacing {spacing}")
    normal = np.cross(iop[:3], iop[3:])
    along = [float(np.dot(sl["imagePositionPatient"], normal)) for sl in slices]
    rank = {i: r + 1 for r, i in enumerate(np.argsort(along, kind="stable"))}
    seen = set()
    for f in range(n):
        g = seg.PerFrameFunctionalGroupsSequence[f]
        number = int(g.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        sis = g.DerivationImageSequence[0].SourceImageSequence[0]
        key = (sis.ReferencedSOPInstanceUID, int(sis.ReferencedFrameNumber) if "ReferencedFrameNumber" in sis else None)
        if key not in by_ref:
            fail(f"frame {f + 1} references {key}, not a source slice")
        i = by_ref[key]
        if sis.ReferencedSOPClassUID != slices[i]["sopClassUid"]:
            fail(f"frame {f + 1}: SOP class")
        pos = [float(v) for v in g.PlanePositionSequence[0].ImagePositionPatient]
        if not np.allclose(pos, slices[i]["imagePositionPatient"], rtol=1e-12, atol=1e-9):
            fail(f"frame {f + 1}: position {pos} != slice {i} {slices[i]['imagePositionPatient']}")
        div = [int(v) for v in g.FrameContentSequence[0].DimensionIndexValues]
        if div != [number, rank[i]]:
            fail(f"frame {f + 1}: DimensionIndexValues {div} != {[number, rank[i]]}")
        if (number, i) in seen:
            fail(f"frame {f + 1}: segment {number} on slice {i} twice")
        seen.add((number, i))
        if not np.array_equal(pix[f].astype(bool), labels[i] == number):
            bad = int(np.sum(pix[f].astype(bool) != (labels[i] == number)))
            fail(f"frame {f + 1} (segment {number}, slice {i}): {bad} pixels differ from the labels")
    # Every (segment, slice) with a pixel has its frame; empty ones only when asked for (or the one kept frame).
    for number in range(1, len(names)):
        for i in range(S):
            if np.any(labels[i] == number) and (number, i) not in seen:
                fail(f"segment {number} on slice {i} has pixels but no frame")
    empty = [(k, i) for (k, i) in seen if not np.any(labels[i] == k)]
    if exp.get("omitEmptyFrames", True) and empty and not (n == 1 and not labels.any()):
        fail(f"empty frames written: {empty[:3]}")
    if not exp.get("omitEmptyFrames", True) and n != S * (len(names) - 1):
        fail(f"{n} frames, want all {S * (len(names) - 1)}")
    print(json.dumps({
        "ok": True, "frames": n, "segments": len(segs), "labels": [x.SegmentLabel for x in segs],
        "charset": seg.get("SpecificCharacterSet"),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "series":
        series(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "acdc":
        acdc(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        fail(f"unknown command {sys.argv[1]}")
