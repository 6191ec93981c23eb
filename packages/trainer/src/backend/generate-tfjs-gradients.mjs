#!/usr/bin/env node
// Regenerates tfjs-gradients.generated.ts: tfjs-core's gradient definitions, which its Node (CJS) entry does not
// register and whose ESM dist Node cannot load (extensionless imports). Imports that the public API provides are
// pointed at "@tensorflow/tfjs-core"; the few private helpers (backprop ops, convertToTensor) are inlined.
// After upgrading tfjs, from packages/trainer: node src/backend/generate-tfjs-gradients.mjs && npx biome format --write src/backend
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-core/package.json")), "dist");
const version = require("@tensorflow/tfjs-core/package.json").version;
const tf = require("@tensorflow/tfjs-core");
const SHIMS = {
  "engine.js": "import {engine} from '@tensorflow/tfjs-core'; export const ENGINE = engine();",
  "tensor.js":
    "import {Tensor} from '@tensorflow/tfjs-core'; export function getGlobalTensorClass() { return Tensor; }",
};

const namespaceOf = (name) =>
  name in tf ? "" : name in tf.util ? "util" : name in tf.backend_util ? "backend_util" : null;
const exportsOf = (file) =>
  [...fs.readFileSync(file, "utf8").matchAll(/export (?:function|const|let|class) ([A-Za-z_$][\w$]*)/g)].map(
    (m) => m[1],
  );
const resolveRelative = (dir, spec) => {
  const p = path.resolve(dir, spec);
  return fs.existsSync(`${p}.js`) ? `${p}.js` : path.join(p, "index.js");
};

let counter = 0;
function rewrite(src, dir) {
  src = src.replace(/\/\/# sourceMappingURL=.*$/m, "");
  src = src.replace(/import \* as (\w+) from '(\.[^']*)';/g, (m, local, spec) => {
    const file = resolveRelative(dir, spec);
    const rel = path.relative(dist, file);
    if (rel === "index.js") return `import * as ${local} from '@tensorflow/tfjs-core';`;
    const ns = rel === "util.js" ? "util" : "backend_util";
    return exportsOf(file).every((e) => e in tf[ns]) ? `import {${ns} as ${local}} from '@tensorflow/tfjs-core';` : m;
  });
  return src.replace(/import \{([^}]*)\} from '(\.[^']*)';/g, (_m, names, spec) => {
    const keep = [];
    const lines = [];
    for (const entry of names
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [imported, local = imported] = entry.split(/\s+as\s+/);
      const ns = namespaceOf(imported);
      if (ns === "") lines.push(`import {${imported} as ${local}} from '@tensorflow/tfjs-core';`);
      else if (ns !== null) {
        const alias = `__${ns}${counter++}`;
        lines.push(`import {${ns} as ${alias}} from '@tensorflow/tfjs-core'; const ${local} = ${alias}.${imported};`);
      } else keep.push(entry);
    }
    if (keep.length > 0) lines.push(`import {${keep.join(", ")}} from '${spec}';`);
    return lines.join("\n");
  });
}

const entry = path.join(dist, "register_all_gradients.js");
const plugin = {
  name: "tfjs-core-public-api",
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, (a) => ({ path: a.path, external: true }));
    build.onResolve({ filter: /^\.\.?\// }, (a) => ({ path: resolveRelative(a.resolveDir, a.path) }));
    build.onLoad({ filter: /\.js$/ }, (a) => {
      const rel = path.relative(dist, a.path);
      if (SHIMS[rel]) return { contents: SHIMS[rel], loader: "js" };
      let src = fs.readFileSync(a.path, "utf8");
      // The entry registers as a side effect; export the list instead so registration is explicit and idempotent.
      if (a.path === entry) src = src.replace(/for \(const gradientConfig[\s\S]*$/, "export { gradConfigs };\n");
      return { contents: rewrite(src, path.dirname(a.path)), loader: "js" };
    });
  },
};

const result = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  legalComments: "none",
  plugins: [plugin],
});
const header = `// @ts-nocheck
// biome-ignore-all lint: generated code
// biome-ignore-all assist/source/organizeImports: generated code
// Generated from @tensorflow/tfjs-core@${version} dist/register_all_gradients.js (Apache-2.0, Copyright Google LLC).
// Do not edit; rerun generate-tfjs-gradients.mjs.
`;
const out = path.join(path.dirname(new URL(import.meta.url).pathname), "tfjs-gradients.generated.ts");
fs.writeFileSync(out, header + result.outputFiles[0].text);
console.log(`wrote ${out} (${result.outputFiles[0].text.length} chars)`);
