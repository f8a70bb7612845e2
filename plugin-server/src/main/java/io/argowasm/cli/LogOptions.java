package io.argowasm.cli;

import io.argowasm.logging.LogSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --log-format} and {@code --log-level}, as Argo's own commands spell them; shared by every
 * command. They apply as they are parsed, so nothing logs in another format first.
 */
final class LogOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "text|json",
            description =
                    "Log lines as text (time=... level=INFO msg=...) or as JSON objects with"
                            + " Argo's keys (time, level, msg, then camelCase fields). Default:"
                            + " ${DEFAULT-VALUE}.")
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
            defaultValue = "info",
            paramLabel = "LEVEL",
            description =
                    "The least severe log lines written: debug, info, warn or error. Default:"
                            + " ${DEFAULT-VALUE}.")
    void level(String level) {
        try {
            LogSettings.threshold(LogSettings.parseLevel(level));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), "--log-level: " + e.getMessage(), e, null, level);
        }
    }
}
