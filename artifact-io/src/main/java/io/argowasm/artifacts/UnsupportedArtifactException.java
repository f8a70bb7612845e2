package io.argowasm.artifacts;

/**
 * An artifact or repository uses a type or option this plugin cannot serve (gcs, azure, git, zip
 * archives, roleARN...).
 */
public final class UnsupportedArtifactException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    public UnsupportedArtifactException(String message) {
        super(message);
    }
}
