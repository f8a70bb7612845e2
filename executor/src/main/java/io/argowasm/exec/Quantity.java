package io.argowasm.exec;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity for memory, such as {@code 64Mi}, {@code 1G} or {@code 1048576}.
 * Text longer than {@link #MAX_LENGTH} is refused before it is parsed, so a hostile template cannot
 * make parsing expensive.
 */
public final class Quantity {

    /** The longest text parsed; {@code 1073741824} is 10 characters. */
    public static final int MAX_LENGTH = 64;

    private static final BigDecimal MAX_BYTES = BigDecimal.valueOf(Long.MAX_VALUE);

    private static final Pattern QUANTITY =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");

    private Quantity() {}

    /**
     * Parses a quantity to bytes.
     *
     * @throws OutOfRangeException when it is more bytes than a {@code long} holds
     * @throws IllegalArgumentException naming the text when it is not a quantity, or, without
     *     quoting it, when it is longer than {@link #MAX_LENGTH} characters
     */
    public static long parseBytes(String text) {
        String s = text == null ? "" : text.trim();
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "a quantity of %d characters is too long; at most %d are read"
                            .formatted(s.length(), MAX_LENGTH));
        }
        Matcher m = QUANTITY.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'%s' is not a memory quantity; use Kubernetes syntax such as 64Mi or 1Gi"
                            .formatted(text));
        }
        BigDecimal number;
        try {
            number = new BigDecimal(m.group(1));
        } catch (NumberFormatException e) {
            // Only an exponent beyond an int's range gets here.
            throw new OutOfRangeException("'%s' is more bytes than can be counted".formatted(s));
        }
        String suffix = m.group(2) == null ? "" : m.group(2);
        long unit =
                switch (suffix) {
                    case "Ki" -> 1L << 10;
                    case "Mi" -> 1L << 20;
                    case "Gi" -> 1L << 30;
                    case "Ti" -> 1L << 40;
                    case "k" -> 1_000L;
                    case "M" -> 1_000_000L;
                    case "G" -> 1_000_000_000L;
                    case "T" -> 1_000_000_000_000L;
                    default -> 1L;
                };
        // Compared before any conversion: 1e999999999 is cheap as a BigDecimal, not as a number.
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(MAX_BYTES) > 0) {
            throw new OutOfRangeException("'%s' is more bytes than can be counted".formatted(s));
        }
        return bytes.longValue();
    }

    /** Formats bytes for a message: {@code 64Mi}, {@code 1536Ki}, {@code 100}. */
    public static String format(long bytes) {
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti"};
        for (int i = suffixes.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }

    /** A quantity of more bytes than a {@code long} holds. */
    public static final class OutOfRangeException extends IllegalArgumentException {
        OutOfRangeException(String message) {
            super(message);
        }
    }
}
