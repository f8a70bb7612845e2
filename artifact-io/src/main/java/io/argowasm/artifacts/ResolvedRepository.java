package io.argowasm.artifacts;

import java.time.Instant;
import java.util.Objects;

/**
 * The repository a workflow uses, with how output keys are formed there.
 *
 * @param repository where objects are read and written
 * @param keyFormat the repository's {@code keyFormat}/{@code keyPrefix}
 * @param workflowCreated the Workflow's creation time, for {@code
 *     {{workflow.creationTimestamp.*}}}, or {@code null} when unknown
 */
public record ResolvedRepository(
        ArtifactRepository repository, KeyFormat keyFormat, Instant workflowCreated) {
    public ResolvedRepository {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(keyFormat, "keyFormat");
    }
}
