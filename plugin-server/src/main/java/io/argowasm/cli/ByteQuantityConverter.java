package io.argowasm.cli;

import io.argowasm.exec.Quantity;

/**
 * Reads a size flag in bytes from a Kubernetes quantity ({@code 64Mi}, {@code 1G}, {@code 512}), as
 * the plugin manifest's resources are written.
 */
final class ByteQuantityConverter extends ParserConverter<Long> {

    ByteQuantityConverter() {
        super(Quantity::parseBytes);
    }

    /**
     * Checks a quantity the way {@link ByteQuantityConverter} reads it, and keeps the text as
     * given: for flags that write a template field, which the executor reads as Argo's agent would
     * send it.
     */
    static final class Text extends ParserConverter<String> {
        Text() {
            super(checkedBy(Quantity::parseBytes));
        }
    }
}
