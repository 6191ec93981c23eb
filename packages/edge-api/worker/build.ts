// Bundles a Workers module and writes a workerd config beside it, to run the worker locally on Cloudflare's own
// runtime: `node --conditions=@bcpseg/source --import tsx worker/build.ts model.onnx [outDir]`, then
// `npx workerd serve <outDir>/config.capnp`. (`wrangler deploy` needs none of this: it bundles entry.ts itself.)
import { copyFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface BuildWorkerOptions {
  /** Where worker.js, its modules and config.capnp go. */
  readonly outDir: string;
  /** The worker source (default worker/entry.ts). Its `*.wasm` imports become Wasm modules, `*.onnx` ones Data. */
  readonly entry?: string;
  /** Files for imports that exist only at deploy time, by module name: `{ "model.onnx": "/path/exported.onnx" }`. */
  readonly data?: Readonly<Record<string, string>>;
  /** The config's socket (`workerd serve --socket-addr http=HOST:PORT` overrides it). */
  readonly address?: string;
}

export interface BuiltWorker {
  /** The workerd config file. */
  readonly config: string;
  /** Bytes of each module by name (worker.js and each Wasm/Data module). */
  readonly sizes: Readonly<Record<string, number>>;
}

/** The compatibility date of the config; wrangler.toml uses the same. */
export const COMPATIBILITY_DATE = "2025-01-01";

/** Bundles `entry` with esbuild and writes a workerd config that serves it, each module embedded by name. */
export async function buildWorker(options: BuildWorkerOptions): Promise<BuiltWorker> {
  const { outDir, entry = fileURLToPath(new URL("./entry.ts", import.meta.url)), data = {} } = options;
  mkdirSync(outDir, { recursive: true });
  const modules = new Map<string, { kind: "wasm" | "data"; file: string }>();
  const require = createRequire(import.meta.url);
  const here = fileURLToPath(new URL(".", import.meta.url));
  await build({
    entryPoints: [entry],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@bcpseg/source", "workerd", "worker", "browser"],
    logLevel: "warning",
    plugins: [
      {
        name: "workers-modules",
        setup(b) {
          // Keep .wasm/.onnx imports as imports of sibling modules: workerd links them, nothing is fetched or compiled.
          b.onResolve({ filter: /\.(wasm|onnx)$/ }, (args) => {
            const name = basename(args.path);
            const file =
              data[name] ??
              (args.path.startsWith(".") || isAbsolute(args.path)
                ? resolve(args.resolveDir, args.path)
                : require.resolve(args.path, { paths: [args.resolveDir, here] }));
            modules.set(name, { kind: name.endsWith(".wasm") ? "wasm" : "data", file });
            return { path: `./${name}`, external: true };
          });
        },
      },
    ],
  });
  const sizes: Record<string, number> = { "worker.js": statSync(join(outDir, "worker.js")).size };
  const lines = [`    (name = "worker.js", esModule = embed "worker.js"),`];
  for (const [name, { kind, file }] of modules) {
    copyFileSync(file, join(outDir, name));
    sizes[name] = statSync(file).size;
    lines.push(`    (name = ${JSON.stringify(name)}, ${kind} = embed ${JSON.stringify(name)}),`);
  }
  const config = join(outDir, "config.capnp");
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = ${JSON.stringify(options.address ?? "127.0.0.1:8787")}, http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [
${lines.join("\n")}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`,
  );
  return { config, sizes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [model, outDir = fileURLToPath(new URL("./dist", import.meta.url))] = process.argv.slice(2);
  if (!model) {
    console.error("usage: build.ts <model.onnx> [outDir]");
    process.exitCode = 1;
  } else {
    const built = await buildWorker({ outDir, data: { "model.onnx": model } });
    console.log(JSON.stringify(built, null, 2));
  }
}
