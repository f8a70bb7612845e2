package io.argowasm.dryrun;

/**
 * The command-line flags of {@code dry-run} that the interpreter's messages name; the command line
 * declares its options with these names.
 */
public final class DryRunFlags {

    public static final String PARAMETER = "-p";
    public static final String ENTRYPOINT = "--entrypoint";
    public static final String PARALLELISM = "--parallelism";
    public static final String STUB = "--stub";
    public static final String STUBS = "--stubs";

    private DryRunFlags() {}
}
