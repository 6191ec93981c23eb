#!/usr/bin/env bash
# Idempotent installer for Mesa's lavapipe (CPU Vulkan) driver from bookworm-backports.
# Debian 12's own Mesa 22.3.6 lavapipe is rejected by current Dawn
# ("shaderUniform*ArrayDynamicIndexing required"); backports' Mesa 25.x works.
# Prints the VK_DRIVER_FILES value to use on its last line of stdout.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

log() { echo "[install-lavapipe] $*" >&2; }

# 1. Ensure a bookworm-backports source exists, reusing the mirror host already configured.
if ! { grep -rhs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } \
     | grep -qv '^\s*#'; then
  MIRROR="$(
    { grep -rhsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
      grep -rhsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/^\s*deb\s+(\[[^]]*\]\s+)?//' | awk '{print $1}'; } \
    | grep -E '/debian/?$' | grep -v security | head -n1 || true
  )"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  MIRROR="${MIRROR%/}"
  log "adding bookworm-backports from ${MIRROR}"
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<EOF
Types: deb
URIs: ${MIRROR}
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  NEED_UPDATE=1
else
  log "bookworm-backports source already present"
  NEED_UPDATE=0
fi

# 2. Install (only if the backports lavapipe is not already there).
have_new_lvp() {
  local v
  v="$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)"
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 24 && [ -n "$(ls /usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null)" ]
}

if have_new_lvp && command -v vulkaninfo >/dev/null; then
  log "mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
else
  if [ "$NEED_UPDATE" = 1 ] || [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists/*backports* 2>/dev/null)" ]; then
    $SUDO apt-get update -q >&2
  fi
  $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports \
    mesa-vulkan-drivers libdrm2 libdrm-amdgpu1 libdrm-common libvulkan1 vulkan-tools >&2
fi

ICD="$(ls /usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -n1)"
if [ -z "$ICD" ]; then log "lvp_icd json not found"; exit 1; fi
log "mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
if command -v vulkaninfo >/dev/null; then
  VK_DRIVER_FILES="$ICD" vulkaninfo --summary 2>/dev/null | grep -E 'apiVersion|driverName|deviceName|driverInfo' >&2 || true
fi
echo "VK_DRIVER_FILES=${ICD}"
