package io.argowasm.artifacts;

import java.util.Locale;

/**
 * Byte counts as people read them in messages: {@code 1 GiB}, {@code 512 KiB}, {@code 100 bytes}.
 */
final class Sizes {
    private Sizes() {}

    static String format(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        for (int i = units.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes >= unit) {
                double value = (double) bytes / unit;
                return value == Math.rint(value)
                        ? "%d %s".formatted((long) value, units[i])
                        : String.format(Locale.ROOT, "%.1f %s", value, units[i]);
            }
        }
        return "%s bytes".formatted(bytes);
    }
}
