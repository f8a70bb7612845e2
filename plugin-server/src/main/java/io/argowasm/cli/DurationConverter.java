package io.argowasm.cli;

import io.argowasm.exec.GoDuration;
import java.time.Duration;

/**
 * Reads a duration flag as Argo writes durations, in Go's syntax ({@code 90s}, {@code 1m30s},
 * {@code 250ms}).
 */
final class DurationConverter extends ParserConverter<Duration> {

    DurationConverter() {
        super(GoDuration::parse);
    }

    /**
     * Checks a duration the way {@link DurationConverter} reads it, and keeps the text as given:
     * for flags that write a template field, which the executor reads as Argo's agent would send
     * it.
     */
    static final class Text extends ParserConverter<String> {
        Text() {
            super(checkedBy(GoDuration::parse));
        }
    }
}
