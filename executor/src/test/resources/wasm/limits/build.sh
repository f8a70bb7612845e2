#!/usr/bin/env bash
# Rebuilds the limit-testing guests from their WAT sources (needs wabt's wat2wasm).
set -euo pipefail
cd "$(dirname "$0")"
for wat in *.wat; do
  wat2wasm "$wat" -o "${wat%.wat}.wasm"
done
