// What pydicom (Debian's python3-pydicom, under /usr/bin/python3) reads from DICOM files, for cross-checks: the
// volume [X, Y, Z] as float32 pixel_array * RescaleSlope + RescaleIntercept, slices sorted on ImagePositionPatient
// along the slice normal (multi-frame files: per-frame positions or GridFrameOffsetVector), and its SHA-256.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface PydicomVolume {
  readonly shape: number[];
  readonly spacing: number[];
  readonly sha256: string;
  readonly first: number;
}

const PY = "/usr/bin/python3";
const SCRIPT = `
import sys, json, hashlib, numpy as np, pydicom
out = {}
for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array.astype(np.float64)
    n = int(getattr(ds, "NumberOfFrames", 1) or 1)
    if n == 1: arr = arr[None]
    slope, inter = float(getattr(ds, "RescaleSlope", 1)), float(getattr(ds, "RescaleIntercept", 0))
    arr = arr * slope + inter
    iop = [float(v) for v in ds.ImageOrientationPatient] if "ImageOrientationPatient" in ds else [1,0,0,0,1,0]
    normal = np.cross(iop[:3], iop[3:])
    ps = [float(v) for v in ds.PixelSpacing] if "PixelSpacing" in ds else [1, 1]
    offs = [float(v) for v in ds.GridFrameOffsetVector] if "GridFrameOffsetVector" in ds else [0.0] * n
    order = np.argsort(offs, kind="stable") if n > 1 else [0]
    dz = float(np.diff(np.sort(offs)).mean()) if n > 1 else float(getattr(ds, "SpacingBetweenSlices", 0) or getattr(ds, "SliceThickness", 1) or 1)
    vol = np.ascontiguousarray(np.transpose(arr[order], (2, 1, 0))).astype("<f4")
    out[path] = dict(shape=list(vol.shape), spacing=[ps[1], ps[0], dz], sha256=hashlib.sha256(vol.tobytes()).hexdigest(), first=float(vol.flat[0]))
print(json.dumps(out))
`;

/** Why the pydicom cross-checks cannot run here, or undefined when they can. */
export function pydicomMissing(): string | undefined {
  if (!existsSync(PY)) return `${PY} is absent`;
  try {
    const r = spawnSync(PY, ["-c", "import pydicom, numpy"], { encoding: "utf8" });
    if (r.error) return `cannot run ${PY}: ${r.error.message}`;
    if (r.status !== 0) return `${PY} lacks pydicom or numpy (Debian: python3-pydicom)`;
  } catch (e) {
    return `cannot spawn ${PY} here (${(e as Error).message})`;
  }
  return undefined;
}

/** Debian's pydicom test files folder, or undefined. */
export function pydicomTestFiles(): string | undefined {
  const r = spawnSync(
    PY,
    ["-c", "import pydicom, os; print(os.path.join(os.path.dirname(pydicom.__file__), 'data', 'test_files'))"],
    {
      encoding: "utf8",
    },
  );
  const dir = r.stdout?.trim();
  return r.status === 0 && dir && existsSync(dir) ? dir : undefined;
}

/** pydicom's reading of each file (one single- or multi-frame file a volume). */
export function pydicomVolumes(paths: readonly string[]): Record<string, PydicomVolume> {
  const r = spawnSync(PY, ["-c", SCRIPT, ...paths], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`pydicom failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, PydicomVolume>;
}

/** SHA-256 (hex) of a float32 array's bytes, through Web Crypto (every runtime has it). */
export async function sha256(a: Float32Array): Promise<string> {
  const bytes = new Uint8Array(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
