package io.argowasm.artifacts.local;

import io.argowasm.artifacts.ArtifactRepository;
import io.argowasm.artifacts.KeyFormat;
import io.argowasm.artifacts.RepositoryResolver;
import io.argowasm.artifacts.ResolvedRepository;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.s3.S3ArtifactRepository;
import io.argowasm.artifacts.s3.S3Credentials;
import java.util.Objects;

/**
 * One repository for every workflow, for local runs: a {@link DirectoryArtifactRepository} by
 * default, or an {@link S3ArtifactRepository} configured explicitly. Artifacts that spell out a
 * complete S3 location of their own are read with {@code AWS_ACCESS_KEY_ID}/{@code
 * AWS_SECRET_ACCESS_KEY} from the environment, since there are no Secrets to read outside a
 * cluster.
 */
public final class FixedRepositoryResolver implements RepositoryResolver {
    private final ArtifactRepository repository;
    private final KeyFormat keyFormat;

    private FixedRepositoryResolver(ArtifactRepository repository, KeyFormat keyFormat) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.keyFormat = Objects.requireNonNull(keyFormat, "keyFormat");
    }

    /** The repository, with the plugin's default output keys. */
    public static FixedRepositoryResolver of(ArtifactRepository repository) {
        return new FixedRepositoryResolver(repository, KeyFormat.defaults());
    }

    public static FixedRepositoryResolver of(ArtifactRepository repository, KeyFormat keyFormat) {
        return new FixedRepositoryResolver(repository, keyFormat);
    }

    @Override
    public ResolvedRepository resolve(WorkflowRef workflow) {
        return new ResolvedRepository(repository, keyFormat, null);
    }

    @Override
    public ArtifactRepository locatedAt(WorkflowRef workflow, S3Location location) {
        return S3ArtifactRepository.builder(location, S3Credentials.fromEnvironment()).build();
    }

    @Override
    public String toString() {
        return "FixedRepositoryResolver[" + repository.description() + "]";
    }
}
