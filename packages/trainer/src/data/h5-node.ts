import type H5Wasm from "h5wasm/node";
import { DataError } from "./data-error.ts";
import { pathKind } from "./fs-node.ts";
import type { RawArray } from "./to-arrays.ts";

/** An array read from or written to an HDF5 dataset, row-major in `shape`. */
export interface H5Array {
  readonly data: RawArray;
  readonly shape: number[];
}

let ready: Promise<typeof H5Wasm> | undefined;

/**
 * h5wasm, loaded on first use (its 4 MB module costs seconds to load under a TS loader) and initialised
 * once, with HDF5 errors thrown as exceptions instead of printed to stderr.
 */
function h5(): Promise<typeof H5Wasm> {
  ready ??= import("h5wasm/node").then(async ({ default: lib }) => {
    const module = await lib.ready;
    module.activate_throwing_error_handler();
    return lib;
  });
  return ready;
}

/**
 * Reads whole datasets from an HDF5 file (read-only). A missing file or dataset is ERR_DATA_MISSING;
 * a corrupt or truncated file ERR_DATA_UNREADABLE — both name the file.
 */
export async function readH5(path: string, names: readonly string[]): Promise<Record<string, H5Array>> {
  const lib = await h5();
  if ((await pathKind(path)) !== "file") throw new DataError("ERR_DATA_MISSING", "no such file", { file: path });
  let file: InstanceType<typeof lib.File>;
  try {
    file = new lib.File(path, "r");
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    const out: Record<string, H5Array> = {};
    for (const name of names) {
      const entity = file.get(name);
      if (!(entity instanceof lib.Dataset)) {
        const have = file.keys().join(", ") || "nothing";
        throw new DataError("ERR_DATA_MISSING", `no dataset "${name}" (file holds ${have})`, { file: path });
      }
      const data = entity.value;
      if (!ArrayBuffer.isView(data) || data instanceof DataView || entity.shape === null) {
        throw new DataError("ERR_DATA_UNREADABLE", `dataset "${name}" is not numeric (dtype ${entity.dtype})`, {
          file: path,
        });
      }
      out[name] = { data: data as RawArray, shape: [...entity.shape] };
    }
    return out;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw unreadable(path, e);
  } finally {
    try {
      file.close();
    } catch {
      // closing a half-read corrupt file may fail too; the first error is the one to report
    }
  }
}

/** Writes numeric datasets to a new HDF5 file (truncating one that exists); dtype from the array kind. */
export async function writeH5(path: string, datasets: Readonly<Record<string, H5Array>>): Promise<void> {
  const lib = await h5();
  const file = new lib.File(path, "w");
  try {
    for (const [name, { data, shape }] of Object.entries(datasets)) {
      file.create_dataset({
        name,
        data: data as Float32Array,
        shape: [...shape],
        dtype: H5_DTYPES[data.constructor.name],
      });
    }
  } finally {
    file.close();
  }
}

const H5_DTYPES: Record<string, string> = {
  Int8Array: "<b",
  Uint8Array: "<B",
  Uint8ClampedArray: "<B",
  Int16Array: "<h",
  Uint16Array: "<H",
  Int32Array: "<i",
  Uint32Array: "<I",
  Float32Array: "<f",
  Float64Array: "<d",
  BigInt64Array: "<q",
  BigUint64Array: "<Q",
};

/** The innermost HDF5 diagnostic ("file signature not found") rather than the whole error stack. */
function unreadable(path: string, e: unknown): DataError {
  const text = String((e as Error)?.message ?? e);
  const reasons = [...text.matchAll(/\(\): ([^\n]+)/g)].map((m) => m[1].trim());
  const reason = reasons.length > 0 ? reasons[reasons.length - 1] : text.split("\n")[0];
  return new DataError("ERR_DATA_UNREADABLE", `not a readable HDF5 file (${reason})`, { file: path, cause: e });
}
