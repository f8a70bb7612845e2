package io.argowasm.manifest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 512Mi}, {@code 2}) as Kubernetes writes it
 * back after parsing ({@code resource.Quantity} in k8s.io/apimachinery): {@code 0.5} becomes {@code
 * 500m}, {@code 1024Mi} becomes {@code 1Gi}, and a few forms are kept exactly as written.
 */
final class CanonicalQuantity {

    // Signs and redundant leading zeros are left out: resources cannot be negative, and Kubernetes
    // would keep such spellings verbatim in some cases and rewrite them in others.
    private static final Pattern QUANTITY =
            Pattern.compile(
                    "(0|[1-9][0-9]*)(?:\\.([0-9]+))?([KMGTPE]i|[eE][-+]?[0-9]+|[numkMGTPE])?");

    /** Suffixes for the powers of ten -9, -6, ... 18. */
    private static final List<String> DECIMAL_SUFFIXES =
            List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E");

    /** Suffixes for the powers of two 0, 10, ... 60. */
    private static final List<String> BINARY_SUFFIXES =
            List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");

    private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger KIBI = BigInteger.valueOf(1024);

    private enum Format {
        DECIMAL_SI,
        DECIMAL_EXPONENT,
        BINARY_SI
    }

    private CanonicalQuantity() {}

    /**
     * The text Kubernetes writes for {@code quantity}.
     *
     * @throws IllegalArgumentException when {@code quantity} is not a quantity this class can
     *     rewrite exactly as Kubernetes does
     */
    static String of(String quantity) {
        Matcher m = QUANTITY.matcher(quantity);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'%s' is not a resource quantity; write a number with an optional suffix, such as 100m, 2 or 512Mi"
                            .formatted(quantity));
        }
        String whole = m.group(1);
        String fraction = m.group(2) == null ? "" : m.group(2);
        String suffix = m.group(3) == null ? "" : m.group(3);

        Format format;
        int exponent;
        if (suffix.endsWith("i")) {
            format = Format.BINARY_SI;
            exponent = 10 * BINARY_SUFFIXES.indexOf(suffix);
        } else if (DECIMAL_SUFFIXES.contains(suffix)) {
            format = Format.DECIMAL_SI;
            exponent = 3 * DECIMAL_SUFFIXES.indexOf(suffix) - 9;
        } else {
            format = Format.DECIMAL_EXPONENT;
            exponent = Integer.parseInt(suffix.substring(1));
        }
        if (keptAsWritten(whole, fraction, format, exponent)) {
            return quantity;
        }

        BigDecimal value = new BigDecimal(fraction.isEmpty() ? whole : whole + "." + fraction);
        value =
                format == Format.BINARY_SI
                        ? value.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)))
                        : value.scaleByPowerOfTen(exponent);
        if (value.compareTo(LARGEST) > 0) {
            throw new IllegalArgumentException(
                    "'%s' is larger than the largest resource quantity Kubernetes accepts"
                            .formatted(quantity));
        }
        if (value.signum() == 0) {
            return "0";
        }
        // Kubernetes rounds up to whole nano units rather than to zero.
        if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI
                && (value.compareTo(BigDecimal.valueOf(1024)) < 0
                        || value.stripTrailingZeros().scale() > 0)) {
            format = Format.DECIMAL_SI;
        }
        return format == Format.BINARY_SI
                ? binary(value.toBigIntegerExact())
                : decimal(value, format);
    }

    /**
     * Kubernetes' fast path: quantities that fit in an int64 and are already in canonical form keep
     * the string they were parsed from.
     */
    private static boolean keptAsWritten(
            String whole, String fraction, Format format, int exponent) {
        String digits = whole + fraction;
        int precision;
        int scale;
        long mantissa = 1;
        if (format == Format.BINARY_SI) {
            if (!fraction.isEmpty()) {
                return false;
            }
            mantissa = 1L << exponent;
            precision = 15 - whole.length() - (int) (exponent * 3f / 10) - 1;
            scale = 0;
        } else {
            precision = 18 - digits.length();
            scale = exponent - fraction.length();
        }
        if (precision < 0 || scale < -9) {
            return false;
        }
        long value = Long.parseLong(digits);
        try {
            Math.multiplyExact(value, mantissa);
        } catch (ArithmeticException tooLarge) {
            return false;
        }
        return format == Format.BINARY_SI
                ? (value & 0x07) != 0
                : scale % 3 == 0 && !digits.endsWith("000") && digits.charAt(0) != '0';
    }

    private static String decimal(BigDecimal value, Format format) {
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        while (exponent % 3 != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN);
            exponent--;
        }
        if (format == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        return mantissa + DECIMAL_SUFFIXES.get((exponent + 9) / 3);
    }

    private static String binary(BigInteger value) {
        int power = 0;
        while (value.mod(KIBI).signum() == 0) {
            value = value.divide(KIBI);
            power++;
        }
        return value + BINARY_SUFFIXES.get(power);
    }
}
