package io.argowasm.server;

/**
 * The command-line flags of {@code serve} that the sidecar's messages name; the command line
 * declares its options with these names.
 */
public final class ServerFlags {

    public static final String MAX_BODY_SIZE = "--max-body-size";
    public static final String TOKEN_FILE = "--token-file";
    public static final String NO_AUTH = "--no-auth";

    private ServerFlags() {}
}
