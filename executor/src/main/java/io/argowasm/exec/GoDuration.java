package io.argowasm.exec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Go's {@code time.ParseDuration} syntax ({@code 30s}, {@code 1m30s}, {@code 250ms}), as Argo uses.
 * Parsing reads each character once and refuses text longer than {@link #MAX_LENGTH}, so a hostile
 * template cannot make it expensive.
 */
public final class GoDuration {

    /** The longest text parsed; {@code 1h2m3.456789s} is 13 characters. */
    public static final int MAX_LENGTH = 64;

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {}

    /**
     * Parses a Go duration.
     *
     * @throws OutOfRangeException when it is longer than Go's largest duration (about 292 years)
     * @throws IllegalArgumentException naming the text when it is not a duration, or, without
     *     quoting it, when it is longer than {@link #MAX_LENGTH} characters
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a duration of %d characters is too long; at most %d are read"
                            .formatted(s.length(), MAX_LENGTH));
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            int numberEnd = numberEnd(s, at);
            int unitEnd = unitEnd(s, numberEnd);
            long unit = unitNanos(s.substring(numberEnd, unitEnd));
            if (numberEnd == at || unit == 0) {
                throw notADuration(text);
            }
            BigDecimal number = new BigDecimal(s.substring(at, numberEnd));
            nanos = nanos.add(number.multiply(BigDecimal.valueOf(unit)));
            at = unitEnd;
        }
        if (s.isEmpty()) {
            throw notADuration(text);
        }
        BigInteger whole = nanos.setScale(0, RoundingMode.HALF_UP).toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new OutOfRangeException(
                    "'%s' is longer than any duration Go can hold".formatted(s));
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    /** The end of a number: digits, optionally a dot and more digits; "." alone is no number. */
    private static int numberEnd(String s, int from) {
        int at = digitsEnd(s, from);
        boolean digits = at > from;
        if (at < s.length() && s.charAt(at) == '.') {
            int fractionEnd = digitsEnd(s, at + 1);
            if (digits || fractionEnd > at + 1) {
                return fractionEnd;
            }
        }
        return at;
    }

    private static int digitsEnd(String s, int from) {
        int at = from;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
            at++;
        }
        return at;
    }

    /** A unit runs up to the next digit or dot, as in Go. */
    private static int unitEnd(String s, int from) {
        int at = from;
        while (at < s.length()
                && s.charAt(at) != '.'
                && (s.charAt(at) < '0' || s.charAt(at) > '9')) {
            at++;
        }
        return at;
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException(
                "'%s' is not a duration; use Go syntax such as 30s, 2m or 1m30s".formatted(text));
    }

    /** Nanoseconds in a unit, or 0 for no unit Go knows. */
    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0L;
        };
    }

    /**
     * Formats a duration the way Go prints it, e.g. {@code 5s}, {@code 1m30s}, {@code 250ms},
     * {@code 1.5ms}, {@code 800ns}.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            if (nanos < 1_000) {
                return nanos + "ns";
            }
            if (nanos < 1_000_000) {
                return decimal(nanos, 3) + "µs";
            }
            return decimal(nanos, 6) + "ms";
        }
        long millis = d.toMillis();
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
        return out.append(decimal(secondMillis, 3)).append('s').toString();
    }

    private static String decimal(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString();
    }

    /** A duration longer than Go's {@code time.Duration} can hold. */
    public static final class OutOfRangeException extends IllegalArgumentException {
        OutOfRangeException(String message) {
            super(message);
        }
    }
}
