package io.argowasm.artifacts;

/**
 * Base of every failure this library reports. Messages name the artifact, and where relevant the
 * key, bucket and endpoint, never a credential.
 */
public class ArtifactException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
