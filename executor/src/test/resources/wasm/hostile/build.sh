#!/usr/bin/env bash
# Rebuilds the hostile test guests in place (see README.md): the malformed modules from
# generate.py, many-functions.wasm from the WAT it generates, every other .wat with wat2wasm.
# Needs python3 and wabt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

python3 "$here/generate.py" "$here" "$scratch"
wat2wasm -o "$here/many-functions.wasm" "$scratch/many-functions.wat"
for wat in "$here"/*.wat; do
    wat2wasm -o "${wat%.wat}.wasm" "$wat"
done
echo "built the hostile test guests in $here"
