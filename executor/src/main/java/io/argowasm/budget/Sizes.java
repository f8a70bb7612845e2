package io.argowasm.budget;

import java.util.Locale;

/** Byte counts as people read them: {@code 512 B}, {@code 64.0 KiB}, {@code 187.5 MiB}. */
public final class Sizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private Sizes() {}

    public static String describe(long bytes) {
        if (bytes < 1024) {
            return "%s B".formatted(bytes);
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
