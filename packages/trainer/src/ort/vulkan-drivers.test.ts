import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hardwareVulkanDriver, vulkanDrivers } from "./vulkan-drivers.ts";
import { probeWebGpu, webGpuRunsProbeGraph } from "./webgpu-probe.ts";

const LAVAPIPE = "/usr/share/vulkan/icd.d/lvp_icd.json";
const NO_LAVAPIPE = existsSync(LAVAPIPE) ? false : "no lavapipe (scripts/install-lavapipe.sh)";

describe("vulkanDrivers / hardwareVulkanDriver", () => {
  const root = mkdtempSync(join(tmpdir(), "bcpseg-vulkan-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const icd = join(root, "share/vulkan/icd.d");
  mkdirSync(icd, { recursive: true });
  const manifest = (name: string, library: string) =>
    writeFileSync(
      join(icd, name),
      JSON.stringify({ file_format_version: "1.0.0", ICD: { library_path: library, api_version: "1.3.289" } }),
    );
  manifest("lvp_icd.x86_64.json", "/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so");
  manifest("nvidia_icd.json", "libGLX_nvidia.so.0");
  manifest("radeon_icd.x86_64.json", "/usr/lib/x86_64-linux-gnu/libvulkan_radeon.so");
  writeFileSync(join(icd, "broken.json"), "{ not json");
  writeFileSync(join(icd, "notes.txt"), "not a manifest");
  const env = { XDG_DATA_DIRS: join(root, "share"), XDG_CONFIG_DIRS: join(root, "none"), HOME: join(root, "home") };
  const noDevices = join(root, "dev-empty");
  mkdirSync(noDevices);

  it("reads the manifests of the loader's folders, software drivers marked, unreadable ones skipped", () => {
    const drivers = vulkanDrivers(env, noDevices).filter((d) => d.manifest.startsWith(root));
    assert.deepEqual(
      drivers.map((d) => [d.manifest.split("/").pop(), d.software, d.deviceNode]),
      [
        ["lvp_icd.x86_64.json", true, undefined],
        ["nvidia_icd.json", false, undefined],
        ["radeon_icd.x86_64.json", false, undefined],
      ],
    );
  });

  it("a hardware driver counts only with its device node (NVIDIA's own, else a DRM render node)", () => {
    assert.equal(hardwareVulkanDriver(env, noDevices), undefined);
    const nvidia = join(root, "dev-nvidia");
    mkdirSync(nvidia);
    writeFileSync(join(nvidia, "nvidia0"), "");
    assert.equal(hardwareVulkanDriver(env, nvidia)?.library, "libGLX_nvidia.so.0");
    const dri = join(root, "dev-dri");
    mkdirSync(join(dri, "dri"), { recursive: true });
    writeFileSync(join(dri, "dri", "renderD128"), "");
    const d = hardwareVulkanDriver(env, dri);
    assert.equal(d?.library, "/usr/lib/x86_64-linux-gnu/libvulkan_radeon.so");
    assert.equal(d?.deviceNode, join(dri, "dri", "renderD128"));
  });

  it("VK_DRIVER_FILES names the only drivers, as it does for the loader", () => {
    const only = { ...env, VK_DRIVER_FILES: join(icd, "lvp_icd.x86_64.json") };
    assert.deepEqual(
      vulkanDrivers(only, noDevices).map((d) => d.software),
      [true],
    );
    const nvidia = join(root, "dev-nvidia");
    assert.equal(hardwareVulkanDriver(only, nvidia), undefined, "only lavapipe although an NVIDIA node exists");
  });

  it("this machine with only lavapipe: no hardware driver, so auto does not pick ort-webgpu", {
    skip: NO_LAVAPIPE,
  }, async () => {
    const env = { ...process.env, VK_DRIVER_FILES: LAVAPIPE };
    assert.equal(hardwareVulkanDriver(env), undefined);
    const probe = await probeWebGpu(env);
    assert.equal(probe.usable, false);
  });

  it("the probe graph runs on onnxruntime-node's WebGPU EP (on lavapipe here)", { skip: NO_LAVAPIPE }, async () => {
    process.env.VK_DRIVER_FILES = LAVAPIPE;
    assert.equal(await webGpuRunsProbeGraph(), undefined);
  });
});
