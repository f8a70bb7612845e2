package io.argowasm.cli;

import io.argowasm.logging.LogSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --log-format} and {@code --log-level}, as Argo's own commands spell them; shared by every
 * command. They apply as they are parsed, so nothing logs in another format first. They have no
 * picocli default on purpose: a command that parses {@code serve}'s options for its defaults (the
 * sidecar checks of {@code run}) must not reset what the user asked for.
 */
final class LogOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description =
                    "Log lines as text (time=... level=INFO msg=...) or as JSON objects with"
                            + " Argo's keys (time, level, msg, then camelCase fields). Default:"
                            + " text.")
    void format(String format) {
        LogSettings.format(
                switch (format) {
                    case "text" -> LogSettings.Format.TEXT;
                    case "json" -> LogSettings.Format.JSON;
                    default ->
                            throw new ParameterException(
                                    spec.commandLine(),
                                    "--log-format must be text or json, not '%s'"
                                            .formatted(format));
                });
    }

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            description =
                    "The least severe log lines written: debug, info, warn or error. Default:"
                            + " info.")
    void level(String level) {
        try {
            LogSettings.threshold(LogSettings.parseLevel(level));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--log-level: " + e.getMessage(), e, null, level);
        }
    }
}
