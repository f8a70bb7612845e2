package io.argowasm.logging;

import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * A logger that writes each call as one line through {@link LogLineWriter}, with the key-value
 * pairs of SLF4J's fluent API as fields. Jetty's and Javalin's loggers write warnings and errors
 * only, as their informational lines say nothing an operator of the plugin needs.
 */
final class LineLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;

    private final boolean library;

    LineLogger(String name) {
        this.name = name;
        this.library = name.startsWith("org.eclipse.jetty") || name.startsWith("io.javalin");
    }

    private boolean enabled(Level level) {
        Level threshold = LogSettings.threshold();
        if (library && threshold.toInt() < Level.WARN.toInt()) {
            threshold = Level.WARN;
        }
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        LogLineWriter.write(
                level, MessageFormatter.basicArrayFormat(pattern, arguments), List.of(), throwable);
    }

    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        Object[] arguments = event.getArgumentArray();
        String message =
                arguments == null
                        ? event.getMessage()
                        : MessageFormatter.basicArrayFormat(event.getMessage(), arguments);
        LogLineWriter.write(
                event.getLevel(), message, event.getKeyValuePairs(), event.getThrowable());
    }
}
