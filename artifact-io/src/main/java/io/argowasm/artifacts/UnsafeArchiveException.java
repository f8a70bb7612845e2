package io.argowasm.artifacts;

/**
 * An input archive was refused before it could write outside its directory or exhaust the disk:
 * path traversal, links leading out, device entries, or more bytes/entries than {@link
 * ArchiveLimits} allow.
 */
public final class UnsafeArchiveException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(String message) {
        super(message);
    }
}
