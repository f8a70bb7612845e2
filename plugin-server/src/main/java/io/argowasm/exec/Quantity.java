package io.argowasm.exec;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity for memory, such as {@code 64Mi}, {@code 1G} or {@code 1048576}.
 */
public final class Quantity {

    private static final Pattern QUANTITY =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");

    private Quantity() {}

    /**
     * Parses a quantity to bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not a quantity
     */
    public static long parseBytes(String text) {
        Matcher m = QUANTITY.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'"
                            + text
                            + "' is not a memory quantity; use Kubernetes syntax such as 64Mi or"
                            + " 1Gi");
        }
        BigDecimal number = new BigDecimal(m.group(1));
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
        return number.multiply(BigDecimal.valueOf(unit)).longValue();
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
}
