import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";

/** One Vulkan installable client driver, from its loader manifest (`*_icd*.json`). */
export interface VulkanDriver {
  /** The manifest file. */
  readonly manifest: string;
  /** `ICD.library_path` of the manifest. */
  readonly library: string;
  /** A CPU implementation (Mesa lavapipe, SwiftShader): WebGPU runs on it, no faster than the CPU engine. */
  readonly software: boolean;
  /** The device node a hardware driver opens is present (/dev/nvidia0, /dev/dri/renderD*, /dev/dxg). */
  readonly deviceNode: string | undefined;
}

const SOFTWARE = /lvp|lavapipe|swiftshader|llvmpipe/i;

/**
 * The Vulkan drivers the Vulkan loader would offer Dawn (onnxruntime-node's WebGPU): the manifests named by
 * VK_DRIVER_FILES / VK_ICD_FILENAMES (files or folders, `:`-separated) when set, else those in the loader's
 * search folders (XDG config and data folders, /etc, /usr/local/share, /usr/share, ~/.local/share).
 */
export function vulkanDrivers(env: NodeJS.ProcessEnv = process.env, devRoot = "/dev"): VulkanDriver[] {
  const override = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES;
  const sources = override
    ? override.split(":").filter(Boolean)
    : [
        ...(env.XDG_CONFIG_DIRS || "/etc/xdg").split(":").map((d) => join(d, "vulkan/icd.d")),
        "/etc/vulkan/icd.d",
        ...(env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").map((d) => join(d, "vulkan/icd.d")),
        join(env.HOME || homedir(), ".local/share/vulkan/icd.d"),
      ];
  const manifests = new Set<string>();
  for (const s of sources) {
    try {
      if (statSync(s).isDirectory()) {
        for (const f of readdirSync(s).sort()) if (f.endsWith(".json")) manifests.add(join(s, f));
      } else manifests.add(s);
    } catch {
      // a folder the loader would search that is not there
    }
  }
  const drivers: VulkanDriver[] = [];
  for (const manifest of manifests) {
    let library: unknown;
    try {
      library = (JSON.parse(readFileSync(manifest, "utf8")) as { ICD?: { library_path?: unknown } }).ICD?.library_path;
    } catch {
      continue; // not a readable manifest: the loader skips it too
    }
    if (typeof library !== "string") continue;
    const software = SOFTWARE.test(basename(library)) || SOFTWARE.test(basename(manifest));
    drivers.push({ manifest, library, software, deviceNode: software ? undefined : deviceNodeOf(library, devRoot) });
  }
  return drivers;
}

/** The device node a hardware driver needs: NVIDIA's own, WSL's D3D12 (dozen), else a DRM render node. */
function deviceNodeOf(library: string, devRoot: string): string | undefined {
  const lib = basename(library).toLowerCase();
  if (lib.includes("nvidia")) return existsSync(join(devRoot, "nvidia0")) ? join(devRoot, "nvidia0") : undefined;
  if (lib.includes("dzn")) return existsSync(join(devRoot, "dxg")) ? join(devRoot, "dxg") : undefined;
  try {
    const render = readdirSync(join(devRoot, "dri")).find((f) => f.startsWith("renderD"));
    return render === undefined ? undefined : join(devRoot, "dri", render);
  } catch {
    return undefined;
  }
}

/** The first hardware driver whose device node is present, or undefined (none, or only software drivers). */
export function hardwareVulkanDriver(env: NodeJS.ProcessEnv = process.env, devRoot = "/dev"): VulkanDriver | undefined {
  return vulkanDrivers(env, devRoot).find((d) => !d.software && d.deviceNode !== undefined);
}
