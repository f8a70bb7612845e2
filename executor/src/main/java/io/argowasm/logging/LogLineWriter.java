package io.argowasm.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * Writes one log line to standard error, as text or JSON (see {@link LogSettings.Format}). Keys and
 * levels follow Argo 4's logs ({@code log/slog}): {@code time} in RFC 3339 UTC, {@code level} as
 * {@code DEBUG}/{@code INFO}/{@code WARN}/{@code ERROR}, {@code msg}, then the fields.
 */
final class LogLineWriter {

    private LogLineWriter() {}

    static void write(Level level, String message, List<KeyValuePair> fields, Throwable throwable) {
        StringBuilder line = new StringBuilder(128);
        // RFC 3339 in UTC with milliseconds (fewer digits when they are zero), as Instant prints
        // it.
        String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String levelName = level == Level.TRACE ? "DEBUG" : level.name();
        boolean json = LogSettings.format() == LogSettings.Format.JSON;
        if (json) {
            line.append("{\"time\":");
            jsonString(line, time);
            line.append(",\"level\":\"").append(levelName).append("\",\"msg\":");
            jsonString(line, message);
        } else {
            line.append("time=").append(time).append(" level=").append(levelName).append(" msg=");
            textValue(line, message);
        }
        if (fields != null) {
            for (KeyValuePair field : fields) {
                append(line, json, field.key, field.value);
            }
        }
        if (throwable != null) {
            append(line, json, "error", throwable.toString());
            if (json) {
                append(line, true, "stack", stackTrace(throwable));
            }
        }
        if (json) {
            line.append('}');
        }
        PrintStream err = System.err;
        synchronized (err) {
            err.println(line);
            if (throwable != null && !json) {
                throwable.printStackTrace(err);
            }
        }
    }

    private static void append(StringBuilder line, boolean json, String key, Object value) {
        if (json) {
            line.append(',');
            jsonString(line, key);
            line.append(':');
            if (value instanceof Number || value instanceof Boolean) {
                line.append(value);
            } else {
                jsonString(line, String.valueOf(value));
            }
        } else {
            line.append(' ').append(key).append('=');
            textValue(line, String.valueOf(value));
        }
    }

    /** A value bare when it is one plain word, else quoted as Go's {@code strconv.Quote} would. */
    private static void textValue(StringBuilder line, String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
        }
        if (plain) {
            line.append(value);
        } else {
            jsonString(line, value);
        }
    }

    private static void jsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u%04x".formatted((int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
