package io.argowasm.cli;

import io.argowasm.exec.Quantity;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size flag in bytes from a Kubernetes quantity ({@code 64Mi}, {@code 1G}, {@code 512}), as
 * the plugin manifest's resources are written; picocli reports a bad value as a usage error naming
 * the flag, and the value and the syntax from here.
 */
final class ByteQuantityConverter implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return Quantity.parseBytes(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Checks a quantity the way {@link ByteQuantityConverter} reads it, and keeps the text as
     * given: for flags that write a template field, which the executor reads as Argo's agent would
     * send it.
     */
    static final class Text implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            new ByteQuantityConverter().convert(value);
            return value;
        }
    }
}
