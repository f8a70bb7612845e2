package io.argowasm.exec;

/**
 * How a WASI command answers: with {@code /work/result.json}, the earlier WASI plugin's file
 * contract, or with JSON on stdout like a waPC guest's response. A template names one with {@code
 * plugin.wasm.contract}; without it the module decides by what it writes (see
 * docs/module-authors.md).
 */
enum WasiContract {
    FILES,
    STDIO
}
