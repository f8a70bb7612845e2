package io.argowasm.dryrun;

/**
 * The command-line flags of every command that checks templates against the sidecar's rules ({@code
 * lint}, {@code run}, {@code dry-run}), as the checks' messages name them.
 */
public final class LintFlags {

    public static final String STRICT = "--strict";

    private LintFlags() {}
}
