package io.argowasm.manifest;

/** The executor plugin manifest is one that Argo would refuse; the message says what to change. */
public final class InvalidPluginManifestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidPluginManifestException(String message) {
        super(message);
    }
}
