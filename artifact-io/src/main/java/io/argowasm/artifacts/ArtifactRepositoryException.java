package io.argowasm.artifacts;

/**
 * The artifact repository could not be found, configured, reached or used. {@link #reason()} tells
 * callers what kind of failure it was; the message says which artifact, bucket and endpoint.
 */
public final class ArtifactRepositoryException extends ArtifactException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (for example retry when unreachable). */
    public enum Reason {
        /** No repository is configured, or its configuration or a referenced Secret is unusable. */
        NOT_CONFIGURED,
        /** The access key is unknown or the signature does not match the secret key. */
        WRONG_CREDENTIALS,
        /** The credentials are valid but not allowed to do this. */
        ACCESS_DENIED,
        /** The bucket does not exist. */
        BUCKET_MISSING,
        /** The endpoint could not be reached (DNS, connection refused, timeout). */
        UNREACHABLE,
        /** Anything else the server or the transfer reported. */
        FAILED
    }

    private final Reason reason;

    public ArtifactRepositoryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ArtifactRepositoryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
