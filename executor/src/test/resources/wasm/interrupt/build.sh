#!/usr/bin/env bash
# Rebuilds the endless-loop guests from their WAT sources (needs wabt's wat2wasm; spin.wat uses
# the tail-call proposal, which wabt parses only when asked).
set -euo pipefail
cd "$(dirname "$0")"
for wat in *.wat; do
  wat2wasm --enable-tail-call "$wat" -o "${wat%.wat}.wasm"
done
