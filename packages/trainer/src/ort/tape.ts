import { type AttrValue, GraphBuilder } from "../export/graph-builder.ts";
import { DataType, type GraphProto } from "../export/onnx-proto.ts";

/** One gradient contribution: g, or g·scale with `scale` [C] per channel (axis 1). */
interface Contribution {
  readonly g: Sym;
  readonly scale?: Sym;
}

/** A tensor of the graph being built: its name and static shape. */
export interface Sym {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * Builds one static-shape ONNX training graph: forward ops are emitted as they are called, each registering a
 * backward rule; {@link backward} then runs the rules in reverse order, summing the gradient contributions of every
 * tensor read by several ops. Only tensors that depend on a parameter (see {@link param}) receive gradients.
 * Standard ONNX ops only (opset 17), so the graph runs on any onnxruntime execution provider.
 */
export class Tape {
  readonly g = new GraphBuilder();
  readonly #rules: Array<() => void> = [];
  readonly #grads = new Map<string, Contribution[]>();
  readonly #summed = new Map<string, Sym>();
  /** Tensors whose gradient a rule has read (no contribution may be added after that). */
  readonly #read = new Set<string>();
  readonly #requires = new Set<string>();
  readonly #consts = new Map<string, string>();
  #count = 0;

  /** A fresh tensor name from a readable hint. */
  fresh(hint: string): string {
    return `${hint}~${this.#count++}`;
  }

  /** A float32 graph input (fixed dims). */
  input(name: string, shape: readonly number[], elemType: number = DataType.FLOAT): Sym {
    this.g.value("input", name, elemType, shape);
    return { name, shape };
  }

  /** A trainable parameter: a float32 graph input that gradients flow to. */
  param(name: string, shape: readonly number[]): Sym {
    const s = this.input(name, shape);
    this.#requires.add(name);
    return s;
  }

  /** Declares `sym` a float32 graph output (optionally under another name, through an Identity). */
  output(sym: Sym, name = sym.name): string {
    if (name !== sym.name) this.g.node("Identity", [sym.name], [name]);
    this.g.value("output", name, DataType.FLOAT, sym.shape);
    return name;
  }

  /** Whether gradients flow into `t`. */
  requiresGrad(t: Sym): boolean {
    return this.#requires.has(t.name);
  }

  /** A float32 constant (cached by value for scalars and small vectors). */
  f32(values: readonly number[] | Float32Array, shape: readonly number[] = [values.length]): Sym {
    const key = `f:${shape.join("x")}:${Array.from(values).join(",")}`;
    const short = values.length <= 16;
    const cached = short ? this.#consts.get(key) : undefined;
    if (cached !== undefined) return { name: cached, shape };
    const name = this.g.f32(this.fresh("const"), shape, values);
    if (short) this.#consts.set(key, name);
    return { name, shape };
  }

  /** A float32 scalar constant. */
  scalar(v: number): Sym {
    return this.f32([v], []);
  }

  /** An int64 vector constant (axes, shapes, pads, starts...), cached by value. */
  i64(values: readonly number[]): string {
    const key = `i:${values.join(",")}`;
    const cached = this.#consts.get(key);
    if (cached !== undefined) return cached;
    const name = this.g.init(
      this.fresh("i64"),
      DataType.INT64,
      [values.length],
      BigInt64Array.from(values.map(BigInt)),
    );
    this.#consts.set(key, name);
    return name;
  }

  /** An int64 scalar constant (CumSum's axis). */
  i64Scalar(value: number): string {
    const key = `i0:${value}`;
    const cached = this.#consts.get(key);
    if (cached !== undefined) return cached;
    const name = this.g.init(this.fresh("i64"), DataType.INT64, [], BigInt64Array.of(BigInt(value)));
    this.#consts.set(key, name);
    return name;
  }

  /**
   * Emits one node with a single float output of the given shape. `inputs` may mix tensors and raw names
   * (constants, "" for an omitted optional input); the output requires a gradient iff a Sym input does.
   */
  op(
    opType: string,
    inputs: readonly (Sym | string)[],
    shape: readonly number[],
    attrs: Record<string, AttrValue> = {},
    hint = opType,
  ): Sym {
    const name = this.fresh(hint);
    this.g.node(
      opType,
      inputs.map((x) => (typeof x === "string" ? x : x.name)),
      [name],
      attrs,
    );
    if (inputs.some((x) => typeof x !== "string" && this.#requires.has(x.name))) this.#requires.add(name);
    return { name, shape };
  }

  /** Emits a node with several outputs (shapes given); none of them requires a gradient unless marked later. */
  multi(
    opType: string,
    inputs: readonly (Sym | string)[],
    shapes: readonly (readonly number[])[],
    attrs: Record<string, AttrValue> = {},
  ): Sym[] {
    const names = shapes.map(() => this.fresh(opType));
    this.g.node(
      opType,
      inputs.map((x) => (typeof x === "string" ? x : x.name)),
      names,
      attrs,
    );
    return names.map((name, i) => ({ name, shape: shapes[i] }));
  }

  /** Marks `t` as requiring a gradient (outputs of {@link multi} that carry one). */
  markRequires(t: Sym): void {
    this.#requires.add(t.name);
  }

  /** Registers the backward rule of the op just emitted. */
  rule(fn: () => void): void {
    this.#rules.push(fn);
  }

  /** Adds a gradient contribution to `t` (ignored when `t` needs none). */
  addGrad(t: Sym, g: Sym): void {
    this.#add(t, { g });
  }

  /**
   * Adds the contribution g·scale to `t`, `scale` [C] per channel (axis 1), left unapplied: a rule that reads it with
   * {@link gradScaled} can fold the scale into its own small tensors (a conv's weights) instead of a full-tensor Mul.
   */
  addScaledGrad(t: Sym, g: Sym, scale: Sym): void {
    this.#add(t, { g, scale });
  }

  #add(t: Sym, c: Contribution): void {
    if (!this.#requires.has(t.name)) return;
    if (this.#read.has(t.name)) throw new Error(`Tape: gradient of ${t.name} added after it was read`);
    const list = this.#grads.get(t.name) ?? [];
    list.push(c);
    this.#grads.set(t.name, list);
  }

  /** The summed gradient of `t`, or undefined when nothing reached it. */
  grad(t: Sym): Sym | undefined {
    const done = this.#summed.get(t.name);
    if (done !== undefined) return done;
    this.#read.add(t.name);
    const list = this.#grads.get(t.name);
    if (list === undefined || list.length === 0) return undefined;
    const full = list.map(({ g, scale }) => {
      if (scale === undefined) return g;
      const bshape = t.shape.map((d, i) => (i === 1 ? d : 1));
      const s = this.op("Reshape", [scale, this.i64(bshape)], bshape, {}, "reshape");
      return this.op("Mul", [g, s], t.shape, {}, "dscale");
    });
    let sum = full[0];
    for (let i = 1; i < full.length; i++) sum = this.op("Add", [sum, full[i]], t.shape, {}, `d.${t.name}`);
    this.#summed.set(t.name, sum);
    return sum;
  }

  /**
   * The gradient of `t` as g·scale (scale [C] on axis 1, undefined = 1) when a single contribution reached it, so that
   * the caller can apply the scale where it is cheapest; otherwise as {@link grad}. Undefined when nothing reached it.
   */
  gradScaled(t: Sym): { readonly g: Sym; readonly scale: Sym | undefined } | undefined {
    const list = this.#grads.get(t.name);
    if (!this.#summed.has(t.name) && list?.length === 1) {
      this.#read.add(t.name);
      return { g: list[0].g, scale: list[0].scale };
    }
    const g = this.grad(t);
    return g === undefined ? undefined : { g, scale: undefined };
  }

  /** Runs every backward rule in reverse order (seed the outputs' gradients with {@link addGrad} first). */
  runRules(): void {
    for (let i = this.#rules.length - 1; i >= 0; i--) this.#rules[i]();
    this.#rules.length = 0;
  }

  /**
   * The graph, without the nodes and initializers no output depends on (a rule may emit a tensor it then does not
   * use; onnxruntime would still run such nodes).
   */
  build(name: string): GraphProto {
    const g = this.g.build(name);
    const live = new Set(g.output.map((o) => o.name));
    const keep = g.node.map(() => false);
    for (let i = g.node.length - 1; i >= 0; i--) {
      if (!g.node[i].output.some((o) => live.has(o))) continue;
      keep[i] = true;
      for (const x of g.node[i].input) live.add(x);
    }
    return {
      ...g,
      node: g.node.filter((_, i) => keep[i]),
      initializer: g.initializer.filter((x) => live.has(x.name)),
    };
  }
}

/** Product of a shape's dims. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
