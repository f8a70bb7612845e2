package io.argowasm.artifacts;

/**
 * Caps on what one input archive may unpack to, so a small hostile {@code .tgz} cannot fill the
 * disk or the inode table.
 *
 * @param maxUnpackedBytes most bytes all entries of one archive may hold together
 * @param maxEntries most entries (files, directories, links) one archive may hold
 */
public record ArchiveLimits(long maxUnpackedBytes, int maxEntries) {
    /** 16 GiB and 100,000 entries: larger than any reasonable step input, far below a full disk. */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(16L << 30, 100_000);

    public ArchiveLimits {
        if (maxUnpackedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
    }
}
