#!/bin/sh
# Removes the demo tenant from an assembled runtime tree (the Dockerfile's /out): each app's
# seed scripts, and the demo credentials module of libs/platform. That module is re-exported by
# the platform's testing entry (libs/platform/src/testing.ts `export * from './demo'`), so it is
# replaced by an empty module rather than deleted: that entry still loads, and `demo` is simply
# not there. Fails the build if a demo password or the demo webhook secret is still found.
#   strip-demo.sh /out
set -eu
root="${1:?usage: strip-demo.sh <runtime root>}"
find "$root" -path '*/node_modules' -prune -o -type d -path '*/dist/src/seed' -print | while read -r dir; do rm -rf "$dir"; done
# Type declarations serve no runtime purpose, and `as const` copies the demo's literals into them.
find "$root" -path '*/node_modules' -prune -o -type f \( -name '*.d.ts' -o -name '*.d.ts.map' \) -print | while read -r file; do rm -f "$file"; done
platform="$root/libs/platform/dist"
if [ -f "$platform/demo.js" ]; then
  printf '"use strict";\n// The demo tenant is not shipped in runtime images (deploy/docker/strip-demo.sh).\nObject.defineProperty(exports, "__esModule", { value: true });\n' > "$platform/demo.js"
  rm -f "$platform/demo.js.map" "$platform/demo.d.ts" "$platform/demo.d.ts.map"
fi
# The demo's secrets are recognisable by their prefixes; none may remain outside node_modules.
if grep -rIl --exclude-dir=node_modules -e 'demo-operator-20' -e 'demo-admin-20' -e 'demo-webhook-secret' "$root"; then
  echo "strip-demo.sh: demo credentials are still in $root (files above)" >&2
  exit 1
fi
