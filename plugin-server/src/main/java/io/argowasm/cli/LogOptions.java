package io.argowasm.cli;

import io.argowasm.logging.LogSettings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.event.Level;
import picocli.CommandLine.Option;

/**
 * {@code --log-format} and {@code --log-level}, as Argo's own commands spell them; shared by every
 * command. They apply as they are parsed, so nothing logs in another format first. They have no
 * picocli default on purpose: a command that parses {@code serve}'s options for its defaults (the
 * sidecar checks of {@code run}) must not reset what the user asked for.
 */
final class LogOptions {

    @Option(
            names = Flags.LOG_FORMAT,
            paramLabel = "text|json",
            description =
                    "How log lines are written, one of ${COMPLETION-CANDIDATES}: text (time=..."
                            + " level=INFO msg=...) or json (objects with Argo's keys: time,"
                            + " level, msg, then camelCase fields). Default: text.")
    void format(LogFormat format) {
        LogSettings.format(format.format);
    }

    @Option(
            names = Flags.LOG_LEVEL,
            paramLabel = "LEVEL",
            converter = LevelConverter.class,
            completionCandidates = Levels.class,
            description =
                    "The least severe log lines written: ${COMPLETION-CANDIDATES}. Default: info.")
    void level(Level level) {
        LogSettings.threshold(level);
    }

    /** Reads a level as {@link LogSettings#parseLevel} does: any case, and warning for warn. */
    static final class LevelConverter extends ParserConverter<Level> {
        LevelConverter() {
            super(LogSettings::parseLevel);
        }
    }

    /** The levels the help names. */
    static final class Levels extends ArrayList<String> {
        Levels() {
            super(List.of("debug", "info", "warn", "error"));
        }
    }
}
