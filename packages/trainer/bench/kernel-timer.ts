// Per-kernel CPU time (process.cpuUsage, so that other processes' load does not inflate it) for synchronous CPU backends (wasm, cpu): wraps every kernel registered for the backend with
// a timer, runs `f` `reps` times, restores the kernels, and returns a table sorted by time. Kernel names that carry
// an input shape (e.g. "Conv2D 4x128x128x16") separate the big calls from the small ones.
import { getKernelsForBackend, type KernelConfig, registerKernel, unregisterKernel } from "@tensorflow/tfjs-core";

/** User + system CPU time of this process in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Entry {
  ms: number;
  calls: number;
}

export function profileKernels(backendName: string, f: () => void, reps: number): { table: string; totalMs: number } {
  const originals = getKernelsForBackend(backendName).map((k) => ({ ...k }) as KernelConfig);
  const stats = new Map<string, Entry>();
  let depth = 0;
  for (const k of originals) {
    unregisterKernel(k.kernelName, backendName);
    registerKernel({
      ...k,
      kernelFunc: (args) => {
        // Nested kernel calls (a kernel calling another through the registry) are counted in the outer one only.
        if (depth > 0) return k.kernelFunc(args);
        depth++;
        const t0 = cpuMs();
        try {
          return k.kernelFunc(args);
        } finally {
          depth--;
          const first = Object.values(args.inputs)[0];
          const key = `${k.kernelName} ${first?.shape.join("x") ?? ""}`;
          const e = stats.get(key) ?? { ms: 0, calls: 0 };
          e.ms += cpuMs() - t0;
          e.calls++;
          stats.set(key, e);
        }
      },
    });
  }
  const t0 = cpuMs();
  try {
    for (let i = 0; i < reps; i++) f();
  } finally {
    for (const k of originals) {
      unregisterKernel(k.kernelName, backendName);
      registerKernel(k);
    }
  }
  const totalMs = (cpuMs() - t0) / reps;
  const byKernel = new Map<string, number>();
  for (const [key, e] of stats) {
    const name = key.split(" ")[0];
    byKernel.set(name, (byKernel.get(name) ?? 0) + e.ms / reps);
  }
  const kernelMs = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const lines = [`kernels ${kernelMs.toFixed(0)} ms, outside kernels ${(totalMs - kernelMs).toFixed(0)} ms per step`];
  lines.push("by kernel:");
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    lines.push(
      `  ${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`,
    );
  }
  lines.push("top calls (kernel, first input shape):");
  for (const [key, e] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
    lines.push(`  ${key.padEnd(44)} ${(e.ms / reps).toFixed(1).padStart(8)} ms  x${e.calls / reps}`);
  }
  return { table: lines.join("\n"), totalMs };
}
