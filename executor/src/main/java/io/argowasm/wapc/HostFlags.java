package io.argowasm.wapc;

/**
 * The command-line flags that set the waPC host's caps, as its messages name them; the command line
 * declares its options with these names.
 */
public final class HostFlags {

    public static final String MAX_RESPONSE_SIZE = "--max-response-size";
    public static final String MAX_GUEST_OUTPUT = "--max-guest-output";
    public static final String MAX_GUEST_FILES = "--max-guest-files";
    public static final String COMPILE_CACHE = "--compile-cache";

    private HostFlags() {}
}
