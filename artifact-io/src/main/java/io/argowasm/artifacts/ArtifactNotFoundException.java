package io.argowasm.artifacts;

/** An input artifact's object (or URL) does not exist. Optional inputs never raise it. */
public final class ArtifactNotFoundException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    public ArtifactNotFoundException(String message) {
        super(message);
    }
}
