package io.argowasm.artifacts;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A store of artifact objects by key: an S3 bucket ({@link io.argowasm.artifacts.s3}) or a local
 * directory ({@link io.argowasm.artifacts.local}). Objects are opaque bytes here; archives are
 * handled by {@link ArtifactWorkspace}.
 *
 * <p>The {@code artifact} argument only names the artifact in error messages.
 */
public interface ArtifactRepository {

    /**
     * Streams the object at {@code key} into {@code target}, which the caller closes. An {@link
     * ArtifactException} thrown by {@code target} (a disk budget reached) is passed on as it is.
     *
     * @throws ArtifactNotFoundException when no object has that key
     * @throws ArtifactRepositoryException when the repository cannot be used
     */
    void download(String artifact, String key, OutputStream target);

    /**
     * Streams {@code source} (a regular file) to {@code key}. Readers see either the complete new
     * object or none: a failed upload leaves nothing under the key.
     *
     * @throws ArtifactRepositoryException when the repository cannot be used
     */
    void upload(String artifact, String key, Path source);

    /** Where this repository is, for messages and logs; never contains a credential. */
    String description();
}
