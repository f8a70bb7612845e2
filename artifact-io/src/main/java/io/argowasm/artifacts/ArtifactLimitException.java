package io.argowasm.artifacts;

/**
 * An artifact was refused because it would pass one of the workspace's limits: the disk budget of
 * its step, or the compression ratio an input archive may have. {@link #limit()} says which, so a
 * caller can name the setting that raises it.
 */
public final class ArtifactLimitException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    /** Which limit was reached. */
    public enum Limit {
        /** All files of one workspace together: {@code ArtifactWorkspaces.Builder#maxDiskBytes}. */
        DISK_BUDGET,
        /** Unpacked bytes per compressed byte of an input archive: {@link ArchiveLimits}. */
        COMPRESSION_RATIO
    }

    private final Limit limit;

    public ArtifactLimitException(Limit limit, String message) {
        super(message);
        this.limit = limit;
    }

    public Limit limit() {
        return limit;
    }
}
