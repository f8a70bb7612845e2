package io.argowasm.cli;

import io.argowasm.exec.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag as Argo writes durations, in Go's syntax ({@code 90s}, {@code 1m30s},
 * {@code 250ms}); picocli reports a bad value as a usage error naming the flag, and the value and
 * the syntax from here.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * Checks a duration the way {@link DurationConverter} reads it, and keeps the text as given:
     * for flags that write a template field, which the executor reads as Argo's agent would send
     * it.
     */
    static final class Text implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            new DurationConverter().convert(value);
            return value;
        }
    }
}
