#!/usr/bin/env bash
# Builds @NAME@.wasm from assembly/index.ts with the AssemblyScript compiler, which npm installs
# into node_modules/ (the versions in package.json). Needs Node.js 18 or newer with npm.
set -euo pipefail
cd "$(dirname "$0")"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build.sh: '$tool' is not installed. Install Node.js 18 or newer with npm" \
            "(on Debian or Ubuntu: apt-get install nodejs npm)." >&2
        exit 1
    fi
done

npm install --no-audit --no-fund --loglevel=error
npm run --silent build
echo "built @NAME@.wasm"
