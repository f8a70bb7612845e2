package io.argowasm.exec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} syntax ({@code 30s}, {@code 1m30s}, {@code 250ms}), as Argo uses.
 */
public final class GoDuration {

    private static final Pattern PART =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {}

    /**
     * Parses a Go duration.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (at < s.length() && m.find(at) && m.start() == at) {
            nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            at = m.end();
        }
        if (s.isEmpty() || at != s.length()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; use Go syntax such as 30s, 2m or 1m30s");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Formats a duration the way Go prints it, e.g. {@code 5s}, {@code 1m30s}, {@code 250ms}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis % 3_600_000 / 60_000;
        long secondMillis = millis % 60_000;
        StringBuilder out = new StringBuilder();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(BigDecimal.valueOf(secondMillis, 3).stripTrailingZeros().toPlainString());
        return out.append('s').toString();
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            default -> 3600e9;
        };
    }
}
