package io.argowasm.cli;

import io.argowasm.logging.LogSettings;

/** The values of {@code --log-format}, in the lower case Argo's commands take. */
enum LogFormat {
    text(LogSettings.Format.TEXT),
    json(LogSettings.Format.JSON);

    final LogSettings.Format format;

    LogFormat(LogSettings.Format format) {
        this.format = format;
    }
}
