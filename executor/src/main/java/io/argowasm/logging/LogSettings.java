package io.argowasm.logging;

import java.util.Locale;
import org.slf4j.event.Level;

/**
 * How the process logs: the format of its lines and the least severe level written. Set from the
 * command line ({@code --log-format}, {@code --log-level}) and read by every logger on each call,
 * so a change applies to loggers created before it.
 */
public final class LogSettings {

    /** How a line is written. */
    public enum Format {
        /** {@code time=... level=INFO msg="..." key=value}, as Argo's text logs. */
        TEXT,
        /** One JSON object per line with Argo's keys: {@code time}, {@code level}, {@code msg}. */
        JSON
    }

    private static volatile Format format = Format.TEXT;
    private static volatile Level threshold = Level.INFO;

    private LogSettings() {}

    public static Format format() {
        return format;
    }

    public static void format(Format newFormat) {
        format = newFormat;
    }

    public static Level threshold() {
        return threshold;
    }

    public static void threshold(Level level) {
        threshold = level;
    }

    /** Raises the threshold to warnings if it is lower: the quiet mode of the local commands. */
    public static void quiet() {
        if (threshold.toInt() < Level.WARN.toInt()) {
            threshold = Level.WARN;
        }
    }

    /**
     * Parses a level name as Argo spells them ({@code debug}, {@code info}, {@code warn} or {@code
     * warning}, {@code error}), in any case.
     */
    public static Level parseLevel(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default ->
                    throw new IllegalArgumentException(
                            "unknown log level '%s'; use debug, info, warn or error"
                                    .formatted(name));
        };
    }
}
