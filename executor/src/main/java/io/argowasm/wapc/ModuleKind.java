package io.argowasm.wapc;

import java.util.Locale;

/**
 * How a module is run: as a waPC guest (an instance kept and called per operation) or as a WASI
 * command ({@code _start} once per invocation on a fresh instance). Named by what the module
 * exports, or by {@code plugin.wasm.abi}.
 */
public enum ModuleKind {
    WAPC,
    WASI;

    /** The name in templates and logs: {@code wapc} or {@code wasi}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
