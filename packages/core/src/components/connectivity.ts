import { ArgumentError } from "../errors/bcp-error.ts";

/** Neighbourhood size: 4 or 8 for 2D `[H, W]` maps, 6, 18 or 26 for 3D `[X, Y, Z]` volumes. */
export type Connectivity = 4 | 8 | 6 | 18 | 26;

/** Options shared by the component functions. */
export interface ConnectivityOptions {
  /** Default: full connectivity (8 in 2D, 26 in 3D), as skimage.measure.label. */
  readonly connectivity?: Connectivity;
}

/**
 * The backward neighbour rows of a neighbourhood, embedded in 3D: a voxel (x, y, z) touches the voxels
 * (x + a, y + b, z + c) with |c| ≤ reach of each row offset (a, b) listed (all visited before it in
 * row-major order), plus its left neighbour in its own row. 2D neighbourhoods have a = 0 only, so a leading
 * (batch) axis never connects.
 */
export interface Neighbourhood {
  readonly connectivity: Connectivity;
  readonly rows: readonly (readonly [number, number])[];
  readonly reach: Int32Array;
}

const ALLOWED: Record<number, readonly number[]> = { 2: [4, 8], 3: [6, 18, 26] };

/** Validates `connectivity` for a spatial rank (default: full) and builds its backward neighbour rows. */
export function neighbourhood(fn: string, rank: number, connectivity: number | undefined): Neighbourhood {
  const allowed = ALLOWED[rank];
  const conn = connectivity ?? allowed[allowed.length - 1];
  if (!allowed.includes(conn)) {
    throw new ArgumentError(fn, "connectivity", `must be ${allowed.join(", ")} for rank ${rank}, got ${String(conn)}`);
  }
  // A neighbour differs by at most 1 on each axis and on at most `hops` axes (skimage's connectivity 1..ndim),
  // so row (a, b) is reachable iff its own non-zero count ≤ hops, and reaches c = ±1 iff that count < hops.
  const hops = allowed.indexOf(conn) + 1;
  const rows: [number, number][] = [];
  const reach: number[] = [];
  for (let a = rank === 3 ? -1 : 0; a <= 0; a++) {
    for (let b = -1; b <= 1; b++) {
      if (a === 0 && b >= 0) continue; // (0, 0) is the voxel's own row; (0, 1) comes later
      const nonZero = (a !== 0 ? 1 : 0) + (b !== 0 ? 1 : 0);
      if (nonZero > hops) continue;
      rows.push([a, b]);
      reach.push(nonZero < hops ? 1 : 0);
    }
  }
  return { connectivity: conn as Connectivity, rows, reach: Int32Array.from(reach) };
}
