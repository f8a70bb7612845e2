package io.argowasm.dryrun;

import java.time.Duration;
import java.util.Locale;

/** Short durations as people read them: {@code 7ms}, {@code 1.25s}, {@code 2m05s}. */
final class Durations {

    private Durations() {}

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.2fs", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
    }

    /** Elapsed time as a progress stamp: {@code 00:01.234}. */
    static String stamp(Duration d) {
        long ms = d.toMillis();
        return String.format(
                Locale.ROOT, "%02d:%02d.%03d", ms / 60_000, (ms / 1000) % 60, ms % 1000);
    }
}
