package io.argowasm.cli;

import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A picocli converter from one of the core's parsers, whose {@link IllegalArgumentException} names
 * the value and the accepted forms; picocli prefixes the flag ({@code Invalid value for option
 * '--max-memory': ...}) and answers with usage and exit code 2.
 */
class ParserConverter<T> implements ITypeConverter<T> {

    private final Function<String, T> parser;

    ParserConverter(Function<String, T> parser) {
        this.parser = parser;
    }

    @Override
    public final T convert(String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Checks {@code value} with {@code parser}, keeping the text as given. */
    static Function<String, String> checkedBy(Function<String, ?> parser) {
        return value -> {
            parser.apply(value);
            return value;
        };
    }
}
