import { type ArchSpec, archChannels, type TorchWeights } from "./arch-spec.ts";

/** A float64 tensor [N, C, D, H, W] (2D nets use D = 1). */
interface T5 {
  readonly d: Float64Array;
  readonly s: readonly [number, number, number, number, number];
}

const at = (s: T5["s"], n: number, c: number, z: number, y: number, x: number) =>
  (((n * s[1] + c) * s[2] + z) * s[3] + y) * s[4] + x;

/** Conv with weight [O, C, kd, kh, kw], stride and zero padding on every axis with kernel > 1. */
function conv(x: T5, w: Float32Array, k: readonly number[], b: Float32Array, stride: number, pad: number): T5 {
  const [n, c] = x.s;
  const o = b.length;
  const p = k.map((kk) => (kk > 1 ? pad : 0));
  const st = k.map((kk) => (kk > 1 ? stride : 1));
  const od = [0, 1, 2].map((i) => Math.floor((x.s[2 + i] + 2 * p[i] - k[i]) / st[i]) + 1);
  const s = [n, o, od[0], od[1], od[2]] as const;
  const d = new Float64Array(s.reduce((a, v) => a * v, 1));
  for (let nn = 0; nn < n; nn++)
    for (let oo = 0; oo < o; oo++)
      for (let z = 0; z < od[0]; z++)
        for (let y = 0; y < od[1]; y++)
          for (let xx = 0; xx < od[2]; xx++) {
            let acc = b[oo];
            for (let cc = 0; cc < c; cc++)
              for (let a = 0; a < k[0]; a++) {
                const zi = z * st[0] - p[0] + a;
                if (zi < 0 || zi >= x.s[2]) continue;
                for (let bb = 0; bb < k[1]; bb++) {
                  const yi = y * st[1] - p[1] + bb;
                  if (yi < 0 || yi >= x.s[3]) continue;
                  for (let e = 0; e < k[2]; e++) {
                    const xi = xx * st[2] - p[2] + e;
                    if (xi < 0 || xi >= x.s[4]) continue;
                    acc += w[(((oo * c + cc) * k[0] + a) * k[1] + bb) * k[2] + e] * x.d[at(x.s, nn, cc, zi, yi, xi)];
                  }
                }
              }
            d[at(s, nn, oo, z, y, xx)] = acc;
          }
  return { d, s };
}

/** ConvTranspose3d with kernel = stride = 2 (no overlap), weight [C, O, 2, 2, 2]. */
function convT2(x: T5, w: Float32Array, b: Float32Array): T5 {
  const [n, c, D, H, W] = x.s;
  const o = b.length;
  const s = [n, o, 2 * D, 2 * H, 2 * W] as const;
  const d = new Float64Array(s.reduce((a, v) => a * v, 1));
  for (let nn = 0; nn < n; nn++)
    for (let oo = 0; oo < o; oo++)
      for (let z = 0; z < s[2]; z++)
        for (let y = 0; y < s[3]; y++)
          for (let xx = 0; xx < s[4]; xx++) {
            let acc = b[oo];
            const kk = ((z % 2) * 2 + (y % 2)) * 2 + (xx % 2);
            for (let cc = 0; cc < c; cc++)
              acc += w[(cc * o + oo) * 8 + kk] * x.d[at(x.s, nn, cc, z >> 1, y >> 1, xx >> 1)];
            d[at(s, nn, oo, z, y, xx)] = acc;
          }
  return { d, s };
}

const map = (x: T5, f: (v: number, c: number) => number): T5 => {
  const per = x.s[2] * x.s[3] * x.s[4];
  return { s: x.s, d: x.d.map((v, i) => f(v, Math.floor(i / per) % x.s[1])) };
};

/** Max pool 2 over H and W (2D) or D, H and W (3D). */
function maxPool(x: T5, three: boolean): T5 {
  const [n, c, D, H, W] = x.s;
  const s = [n, c, three ? D / 2 : D, H / 2, W / 2] as const;
  const d = new Float64Array(s.reduce((a, v) => a * v, 1)).fill(Number.NEGATIVE_INFINITY);
  for (let nn = 0; nn < n; nn++)
    for (let cc = 0; cc < c; cc++)
      for (let z = 0; z < D; z++)
        for (let y = 0; y < H; y++)
          for (let xx = 0; xx < W; xx++) {
            const i = at(s, nn, cc, three ? z >> 1 : z, y >> 1, xx >> 1);
            d[i] = Math.max(d[i], x.d[at(x.s, nn, cc, z, y, xx)]);
          }
  return { d, s };
}

/** Bilinear ×2 over H, W with align_corners=True: source coordinate = i·(in − 1)/(out − 1). */
function resize2(x: T5): T5 {
  const [n, c, D, H, W] = x.s;
  const s = [n, c, D, 2 * H, 2 * W] as const;
  const d = new Float64Array(s.reduce((a, v) => a * v, 1));
  const src = (i: number, len: number) => (len === 1 ? 0 : (i * (len - 1)) / (2 * len - 1));
  for (let nn = 0; nn < n; nn++)
    for (let cc = 0; cc < c; cc++)
      for (let y = 0; y < s[3]; y++) {
        const fy = src(y, H);
        const y0 = Math.floor(fy);
        const y1 = Math.min(y0 + 1, H - 1);
        const wy = fy - y0;
        for (let xx = 0; xx < s[4]; xx++) {
          const fx = src(xx, W);
          const x0 = Math.floor(fx);
          const x1 = Math.min(x0 + 1, W - 1);
          const wx = fx - x0;
          const g = (yy: number, xi: number) => x.d[at(x.s, nn, cc, 0, yy, xi)];
          d[at(s, nn, cc, 0, y, xx)] =
            (1 - wy) * ((1 - wx) * g(y0, x0) + wx * g(y0, x1)) + wy * ((1 - wx) * g(y1, x0) + wx * g(y1, x1));
        }
      }
  return { d, s };
}

function concat(a: T5, b: T5): T5 {
  const [n, ca, ...sp] = a.s;
  const cb = b.s[1];
  const per = sp[0] * sp[1] * sp[2];
  const s = [n, ca + cb, sp[0], sp[1], sp[2]] as const;
  const d = new Float64Array(n * (ca + cb) * per);
  for (let nn = 0; nn < n; nn++) {
    d.set(a.d.subarray(nn * ca * per, (nn + 1) * ca * per), nn * (ca + cb) * per);
    d.set(b.d.subarray(nn * cb * per, (nn + 1) * cb * per), (nn * (ca + cb) + ca) * per);
  }
  return { d, s };
}

function softmax(x: T5): Float64Array {
  const [n, c, D, H, W] = x.s;
  const per = D * H * W;
  const out = new Float64Array(x.d.length);
  for (let nn = 0; nn < n; nn++)
    for (let i = 0; i < per; i++) {
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < c; k++) m = Math.max(m, x.d[(nn * c + k) * per + i]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(x.d[(nn * c + k) * per + i] - m);
      for (let k = 0; k < c; k++) out[(nn * c + k) * per + i] = Math.exp(x.d[(nn * c + k) * per + i] - m) / sum;
    }
  return out;
}

/**
 * Float64 reference forward pass of the eval-mode U-Net / V-Net straight from PyTorch-layout weights, BatchNorm
 * unfolded (eps 1e-5) — the independent oracle the exports are tested against. Input [N, C, ...spatial] float32;
 * returns the class probabilities [N, numClasses, ...spatial] (float64).
 */
export function referenceForward(
  arch: ArchSpec,
  w: TorchWeights,
  input: Float32Array,
  shape: readonly number[],
): Float64Array {
  archChannels(arch, "referenceForward");
  const three = arch.kind === "vnet3d";
  const s5 = (three ? shape : [shape[0], shape[1], 1, shape[2], shape[3]]) as unknown as T5["s"];
  const x: T5 = { d: Float64Array.from(input), s: s5 };
  const bn = (t: T5, p: string) =>
    map(
      t,
      (v, c) =>
        ((v - w[`${p}.running_mean`][c]) / Math.sqrt(w[`${p}.running_var`][c] + 1e-5)) * w[`${p}.weight`][c] +
        w[`${p}.bias`][c],
    );
  const cv = (t: T5, p: string, kk: number[], stride = 1, pad = 1) =>
    conv(t, w[`${p}.weight`], kk, w[`${p}.bias`], stride, pad);
  const leaky = (t: T5) => map(t, (v) => (v >= 0 ? v : 0.01 * v));
  const relu = (t: T5) => map(t, (v) => Math.max(0, v));
  if (!three) {
    const block = (t: T5, p: string) => {
      t = leaky(bn(cv(t, `${p}.conv_conv.0`, [1, 3, 3]), `${p}.conv_conv.1`));
      return leaky(bn(cv(t, `${p}.conv_conv.4`, [1, 3, 3]), `${p}.conv_conv.5`));
    };
    const f = [block(x, "encoder.in_conv")];
    for (let i = 1; i <= 4; i++) f.push(block(maxPool(f[i - 1], false), `encoder.down${i}.maxpool_conv.1`));
    let y = f[4];
    for (let i = 1; i <= 4; i++) {
      const up = resize2(cv(y, `decoder.up${i}.conv1x1`, [1, 1, 1], 1, 0));
      y = block(concat(f[4 - i], up), `decoder.up${i}.conv`);
    }
    return softmax(cv(y, "decoder.out_conv", [1, 3, 3]));
  }
  const stages = (t: T5, p: string, n: number) => {
    for (let i = 0; i < n; i++) t = relu(bn(cv(t, `${p}.conv.${3 * i}`, [3, 3, 3]), `${p}.conv.${3 * i + 1}`));
    return t;
  };
  const enc: [string, number][] = [
    ["block_one", 1],
    ["block_two", 2],
    ["block_three", 3],
    ["block_four", 3],
    ["block_five", 3],
  ];
  const f: T5[] = [];
  enc.forEach(([b, n], i) => {
    const inp =
      i === 0
        ? x
        : relu(
            bn(
              cv(f[i - 1], `encoder.${enc[i - 1][0]}_dw.conv.0`, [2, 2, 2], 2, 0),
              `encoder.${enc[i - 1][0]}_dw.conv.1`,
            ),
          );
    f.push(stages(inp, `encoder.${b}`, n));
  });
  let y = f[4];
  const dec: [string, string, number][] = [
    ["block_five_up", "block_six", 3],
    ["block_six_up", "block_seven", 3],
    ["block_seven_up", "block_eight", 2],
    ["block_eight_up", "block_nine", 1],
  ];
  dec.forEach(([u, b, n], i) => {
    const up = relu(
      bn(convT2(y, w[`decoder.${u}.conv.0.weight`], w[`decoder.${u}.conv.0.bias`]), `decoder.${u}.conv.1`),
    );
    y = stages({ s: up.s, d: up.d.map((v, j) => v + f[3 - i].d[j]) }, `decoder.${b}`, n);
  });
  return softmax(cv(y, "decoder.out_conv", [1, 1, 1], 1, 0));
}
