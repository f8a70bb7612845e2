package io.argowasm.artifacts;

/**
 * Finds the repository for a workflow's artifacts. {@link
 * io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver} follows Argo's order inside a
 * cluster; {@link io.argowasm.artifacts.local.FixedRepositoryResolver} serves one configured
 * repository for local runs.
 */
public interface RepositoryResolver {

    /**
     * The repository for artifacts that carry only a key (the normal case for plugin templates).
     *
     * @throws ArtifactRepositoryException when none is configured or it cannot be used
     * @throws UnsupportedArtifactException when the configured repository is not S3
     */
    ResolvedRepository resolve(WorkflowRef workflow);

    /**
     * The repository for an artifact that spells out its own complete location ({@link
     * S3Location#isComplete()}); credentials come from the location's Secrets.
     */
    ArtifactRepository locatedAt(WorkflowRef workflow, S3Location location);
}
