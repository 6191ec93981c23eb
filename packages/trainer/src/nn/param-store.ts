import { ArgumentError, checkData, type NumArray } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";

/** Named weights as plain typed arrays in tfjs layout (float32 parameters and statistics, int32 counters). */
export type NamedWeights = Record<string, Float32Array | Int32Array>;

/**
 * The variables of a functional model, keyed by their PyTorch `state_dict` names and kept in state-dict order.
 * Trainable parameters and BatchNorm statistics (non-trainable) live side by side, as in PyTorch; tfjs variable
 * names are left automatic so several models (student, teacher) can coexist.
 */
export class ParamStore {
  readonly #vars = new Map<string, tf.Variable>();

  /** Registers `value` (ownership moves to the store) under a new name. */
  add(name: string, value: tf.Tensor, trainable: boolean): tf.Variable {
    if (this.#vars.has(name)) throw new ArgumentError("ParamStore.add", "name", `"${name}" is already registered`);
    const v = tf.variable(value, trainable);
    value.dispose();
    this.#vars.set(name, v);
    return v;
  }

  /** The variable called `name`; throws ERR_ARGUMENT for an unknown name. */
  get(name: string): tf.Variable {
    const v = this.#vars.get(name);
    if (v === undefined) throw new ArgumentError("ParamStore.get", "name", `"${name}" is not a parameter`);
    return v;
  }

  has(name: string): boolean {
    return this.#vars.has(name);
  }

  /** All names in state-dict order. */
  names(): string[] {
    return [...this.#vars.keys()];
  }

  /** All [name, variable] pairs in state-dict order. */
  entries(): [string, tf.Variable][] {
    return [...this.#vars.entries()];
  }

  /** Trainable parameters (weights, biases, BatchNorm affine) in state-dict order. */
  trainable(): tf.Variable[] {
    return [...this.#vars.values()].filter((v) => v.trainable);
  }

  /** Non-trainable statistics (running_mean, running_var, num_batches_tracked) in state-dict order. */
  stats(): tf.Variable[] {
    return [...this.#vars.values()].filter((v) => !v.trainable);
  }

  /** Number of trainable scalars (what PyTorch's `sum(p.numel() for p in parameters())` counts). */
  paramCount(): number {
    let n = 0;
    for (const v of this.#vars.values()) if (v.trainable) n += v.size;
    return n;
  }

  /** Copies every variable out as a typed array (Float32Array, or Int32Array for int32 counters). */
  getWeights(): NamedWeights {
    const out: NamedWeights = {};
    for (const [name, v] of this.#vars) {
      // dataSync may hand back the backend's own storage: copy it.
      const d = v.dataSync();
      out[name] = v.dtype === "int32" ? Int32Array.from(d) : Float32Array.from(d);
    }
    return out;
  }

  /**
   * Loads weights by name (tfjs layout). Every name must be present with the right length; int32 variables
   * (num_batches_tracked) take values truncated toward zero, as `load_state_dict` does with a float counter.
   */
  setWeights(weights: Readonly<Record<string, NumArray>>): void {
    const fn = "ParamStore.setWeights";
    if (typeof weights !== "object" || weights === null) throw new ArgumentError(fn, "weights", "must be a map");
    const missing = this.names().filter((k) => !Object.hasOwn(weights, k));
    const extra = Object.keys(weights).filter((k) => !this.#vars.has(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new ArgumentError(fn, "weights", `must have the model's keys (missing: [${missing}], extra: [${extra}])`);
    }
    for (const [name, v] of this.#vars) checkData(fn, `weights["${name}"]`, weights[name], v.shape);
    for (const [name, v] of this.#vars) {
      const src = weights[name];
      const data = v.dtype === "int32" ? Int32Array.from(src, Math.trunc) : Float32Array.from(src);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape, v.dtype)));
    }
  }

  /** Frees every variable; the store is empty afterwards. */
  dispose(): void {
    for (const v of this.#vars.values()) v.dispose();
    this.#vars.clear();
  }
}
