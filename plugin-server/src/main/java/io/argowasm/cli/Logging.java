package io.argowasm.cli;

/** The command line's logging (slf4j-simple, configured by system properties). */
final class Logging {

    private Logging() {}

    /**
     * Warnings and errors only, for the loggers created from now on. slf4j-simple fixes its default
     * level when the first logger is created (picocli creates {@code serve}'s before any command
     * runs), but reads a package's level whenever a logger of it is created.
     */
    static void quiet() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.argowasm", "warn");
    }
}
