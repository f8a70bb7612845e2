package io.argowasm.cli;

import io.argowasm.logging.LogSettings;

/** The command line's logging (see {@link LogOptions}). */
final class Logging {

    private Logging() {}

    /** Warnings and errors only, unless --log-level asked for less. */
    static void quiet() {
        LogSettings.quiet();
    }
}
