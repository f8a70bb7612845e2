package io.argowasm.exec;

/**
 * The command-line flags that set what the executor enforces, as its messages name them. The
 * command line declares its options with these names ({@code io.argowasm.cli.Flags}), so a message
 * and the flag it tells the user to raise cannot drift apart.
 */
public final class ExecutorFlags {

    public static final String MAX_TIMEOUT = "--max-timeout";
    public static final String MAX_MEMORY = "--max-memory";
    public static final String MAX_INPUT_SIZE = "--max-input-size";
    public static final String MAX_OUTPUT_SIZE = "--max-output-size";
    public static final String MAX_CONCURRENT = "--max-concurrent";
    public static final String GUEST_LOGS = "--guest-logs";
    public static final String HTTP_ALLOWED_HOSTS = "--http-allowed-hosts";
    public static final String HTTP_TIMEOUT = "--http-timeout";
    public static final String MAX_HTTP_RESPONSE = "--max-http-response";
    public static final String MAX_ARTIFACT_DISK = "--max-artifact-disk";
    public static final String MAX_ARCHIVE_RATIO = "--max-archive-ratio";

    private ExecutorFlags() {}
}
