#!/usr/bin/env bash
# The GPU check of the onnxruntime training engine: ort-webgpu against ort-cpu on a Linux GPU box that has a Vulkan
# driver and no network.
#
#   scripts/gpu-check.sh pack   (here, after npm install) writes .gpu-pack/ (git-ignored, about 40 MB):
#       bcpseg.mjs, step-time.mjs   the CLI and bench/step-time.ts bundled by esbuild (all JavaScript dependencies
#                                   inlined; tfjs only supplies the initial weights)
#       node_modules/onnxruntime-*  onnxruntime-node's linux-x64 binding and library (Dawn/WebGPU inside), xz-packed
#       node.xz                     this machine's node binary, for a box without Node.js 20
#   scripts/gpu-check.sh run    (on the GPU box, from a checkout that has .gpu-pack/) prints one table:
#       - step time, ort-webgpu vs ort-cpu: U-Net 256x256 batch 12 (the paper's ACDC setting) and V-Net 112x112x80
#         batch 4 (LA), with achieved GFLOP/s;
#       - a short BCP run (synthetic phantoms, pre-train + self-train) on each engine: wall time and final loss.
# With the device tool: run `scripts/gpu-check.sh pack` here, then `bash scripts/gpu-check.sh run` there with
# carry [".gpu-pack"]. Options of run (environment): ROUNDS (3), STEPS (2), THREADS (ort-cpu threads: nproc, at most
# 8), UNET_SIZE (256), UNET_BATCH (12), VNET_SIZE (112x112x80), VNET_BATCH (4), BCP_ITERATIONS (60).
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=.gpu-pack

pack() {
  rm -rf "$PACK" && mkdir -p "$PACK/node_modules/onnxruntime-node"
  local common=(--bundle --platform=node --format=esm --conditions=@bcpseg/source --ignore-annotations
    --external:onnxruntime-node --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu
    --external:h5wasm --external:workerd --log-level=error
    "--banner:js=import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);")
  npx esbuild packages/cli/src/main.ts "${common[@]}" --outfile="$PACK/bcpseg.mjs"
  npx esbuild packages/trainer/bench/step-time.ts "${common[@]}" --outfile="$PACK/step-time.mjs"
  cp -r node_modules/onnxruntime-common "$PACK/node_modules/"
  (cd node_modules/onnxruntime-node && tar cf - package.json dist lib bin/napi-v6/linux/x64) |
    (cd "$PACK/node_modules/onnxruntime-node" && tar xf -)
  xz -T0 -3 "$PACK/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
  xz -T0 -3 -c "$(command -v node)" >"$PACK/node.xz"
  du -sh "$PACK"
}

run() {
  [ -d "$PACK" ] || { echo "gpu-check: no $PACK here; run 'scripts/gpu-check.sh pack' first" >&2; exit 2; }
  local lib="$PACK/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
  [ -f "$lib" ] || xz -dk "$lib.xz"
  local node=node
  if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
    xz -dc "$PACK/node.xz" >"$PACK/node" && chmod +x "$PACK/node" && node="$PWD/$PACK/node"
  fi
  local threads="${THREADS:-$(nproc)}"
  [ "$threads" -gt 8 ] && threads=8
  echo "# gpu-check $(date -u +%FT%TZ) on $(uname -n): $(nproc) cores; $(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1)"
  echo "# Vulkan: ${VK_DRIVER_FILES:-default loader search}; node $("$node" --version)"
  local r="${ROUNDS:-3}" s="${STEPS:-2}"
  "$node" "$PACK/step-time.mjs" --sizes "${UNET_SIZE:-256}" --batch "${UNET_BATCH:-12}" \
    --backends "ort-webgpu,ort-cpu:$threads" --rounds "$r" --steps "$s"
  "$node" "$PACK/step-time.mjs" --arch vnet --sizes "${VNET_SIZE:-112x112x80}" --batch "${VNET_BATCH:-4}" \
    --backends "ort-webgpu,ort-cpu:$threads" --rounds "$r" --steps "$s" | tail -n +3
  echo
  local its="${BCP_ITERATIONS:-60}"
  echo "| BCP run (synth2d 64x64, $its + $its iterations) | ms | final loss |"
  echo "|---|---|---|"
  for b in ort-webgpu ort-cpu; do
    local out t0
    rm -rf "$PACK/run-$b" # a fresh run each time (an existing run folder would be resumed)
    t0=$(date +%s%N)
    out=$("$node" "$PACK/bcpseg.mjs" train --preset synth2d --backend "$b" --threads "$threads" \
      --pretrain-iterations "$its" --selftrain-iterations "$its" --val-every 0 --out "$PACK/run-$b" --json \
      2>/dev/null || true)
    local secs loss
    secs=$(( ($(date +%s%N) - t0) / 1000000 ))
    # The last training record's loss (validation and the done event follow it); none when the run failed.
    loss=$({ grep '"type":"train"' "$PACK/run-$b/metrics.jsonl" 2>/dev/null || true; } | tail -n 1 |
      { grep -o '"loss":[0-9.e-]*' || true; } | cut -d: -f2)
    echo "| $b | ${secs} | ${loss:-failed: $(echo "$out" | head -c 200)} |"
  done
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  *) echo "usage: scripts/gpu-check.sh pack|run" >&2; exit 2 ;;
esac
