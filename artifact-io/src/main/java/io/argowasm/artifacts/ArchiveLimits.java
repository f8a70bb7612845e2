package io.argowasm.artifacts;

/**
 * Caps on what one input archive may hold, so a small hostile {@code .tgz} cannot exhaust the inode
 * table or pose as a large input. The bytes it unpacks to count against the workspace's disk budget
 * ({@link ArtifactWorkspaces.Builder#maxDiskBytes}).
 *
 * @param maxEntries most entries (files, directories, links) one archive may hold
 * @param maxCompressionRatio most bytes an archive may unpack to per compressed byte read, checked
 *     once it has unpacked more than {@link #RATIO_FLOOR_BYTES}: a gzip of zeros unpacks to about
 *     1000 times its size, while real data (text, logs, binaries) rarely passes 20
 */
public record ArchiveLimits(int maxEntries, int maxCompressionRatio) {
    /** 100,000 entries and a ratio of 200. */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(100_000, 200);

    /**
     * Unpacked bytes below which the ratio is not checked, so small archives of repetitive text
     * (which compress far better than 200 to 1) still unpack: 1 MiB.
     */
    public static final long RATIO_FLOOR_BYTES = 1L << 20;

    public ArchiveLimits {
        if (maxEntries <= 0 || maxCompressionRatio <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
