package io.argowasm.cli;

import io.argowasm.artifacts.ArtifactRepository;
import io.argowasm.artifacts.ArtifactWorkspaces;
import io.argowasm.artifacts.RepositoryResolver;
import io.argowasm.artifacts.ResolvedRepository;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.kubernetes.KubernetesRepositoryResolver;
import io.argowasm.artifacts.kubernetes.RegistrySecrets;
import io.argowasm.artifacts.local.DirectoryArtifactRepository;
import io.argowasm.artifacts.local.FixedRepositoryResolver;
import io.argowasm.artifacts.s3.S3ArtifactRepository;
import io.argowasm.artifacts.s3.S3Credentials;
import io.argowasm.module.oci.ClusterPullSecrets;
import io.argowasm.module.oci.PullSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * Where steps' artifacts live: a local directory, an S3 bucket given by flags, or (the sidecar's
 * default) the repository Argo configured for each workflow, found in the cluster.
 */
final class ArtifactOptions {

    @Option(
            names = Flags.ARTIFACT_DIR,
            paramLabel = "DIR",
            description =
                    "Use a local directory as the artifact repository (keys are paths below it).")
    Path directory;

    @Option(
            names = Flags.S3_ENDPOINT,
            paramLabel = "HOST[:PORT]",
            description =
                    "Use this S3/MinIO endpoint as the artifact repository; credentials from"
                            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
    String s3Endpoint;

    @Option(names = Flags.S3_BUCKET, description = "The bucket for --s3-endpoint.")
    String s3Bucket;

    @Option(names = Flags.S3_REGION, description = "The region for --s3-endpoint.")
    String s3Region;

    @Option(names = Flags.S3_INSECURE, description = "Plain http to --s3-endpoint.")
    boolean s3Insecure;

    @Option(
            names = Flags.CONTROLLER_NAMESPACE,
            defaultValue = "argo",
            description =
                    "Where the workflow controller's ConfigMap lives, for repository resolution in"
                            + " the cluster. Default: ${DEFAULT-VALUE}.")
    String controllerNamespace;

    /** Made on first use and shared: a sidecar whose steps need no cluster never connects. */
    private volatile KubernetesClient kubernetes;

    private volatile PullSecrets pullSecrets;

    /**
     * Flags first; else the cluster's repositories (the sidecar) or {@code fallback} (local runs).
     */
    ArtifactWorkspaces workspaces(boolean inCluster, Path fallback) {
        return ArtifactWorkspaces.builder(resolver(inCluster, fallback)).build();
    }

    /**
     * Like {@link #workspaces(boolean, Path)}, with each step's files under {@code temporaryRoot}
     * instead of the system's temporary directory.
     */
    ArtifactWorkspaces workspaces(boolean inCluster, Path fallback, Path temporaryRoot) {
        return ArtifactWorkspaces.builder(resolver(inCluster, fallback))
                .temporaryRoot(temporaryRoot)
                .build();
    }

    /** Whether a flag names the repository; else local runs use their fallback directory. */
    boolean repositoryGiven() {
        return directory != null || s3Endpoint != null || s3Bucket != null;
    }

    private RepositoryResolver resolver(boolean inCluster, Path fallback) {
        RepositoryResolver resolver;
        if (s3Endpoint != null || s3Bucket != null) {
            if (s3Endpoint == null || s3Bucket == null) {
                throw new IllegalArgumentException(
                        "%s and %s go together".formatted(Flags.S3_ENDPOINT, Flags.S3_BUCKET));
            }
            S3Location location =
                    S3Location.builder()
                            .endpoint(s3Endpoint)
                            .bucket(s3Bucket)
                            .region(s3Region)
                            .insecure(s3Insecure)
                            .build();
            resolver =
                    FixedRepositoryResolver.of(
                            S3ArtifactRepository.builder(location, S3Credentials.fromEnvironment())
                                    .build());
        } else if (directory != null || !inCluster) {
            resolver =
                    FixedRepositoryResolver.of(
                            new DirectoryArtifactRepository(
                                    directory != null ? directory : fallback));
        } else {
            resolver = new LazyClusterResolver(this::kubernetes, controllerNamespace);
        }
        return resolver;
    }

    /**
     * The sidecar's pull secrets: the Secrets a workflow's steps name, read from the cluster when a
     * registry first asks for a login.
     */
    PullSecrets clusterPullSecrets() {
        return (namespace, workflow, pullSecret) -> {
            PullSecrets made = pullSecrets;
            if (made == null) {
                synchronized (this) {
                    if (pullSecrets == null) {
                        pullSecrets = new ClusterPullSecrets(new RegistrySecrets(kubernetes()));
                    }
                    made = pullSecrets;
                }
            }
            return made.credentials(namespace, workflow, pullSecret);
        };
    }

    private KubernetesClient kubernetes() {
        KubernetesClient client = kubernetes;
        if (client == null) {
            synchronized (this) {
                if (kubernetes == null) {
                    kubernetes = new KubernetesClientBuilder().build();
                }
                client = kubernetes;
            }
        }
        return client;
    }

    /**
     * Connects to the cluster on the first step that has artifacts, so a sidecar serving steps
     * without artifacts never pays for the Kubernetes client.
     */
    private static final class LazyClusterResolver implements RepositoryResolver {
        private final Supplier<KubernetesClient> kubernetes;
        private final String controllerNamespace;
        private volatile RepositoryResolver resolver;

        LazyClusterResolver(Supplier<KubernetesClient> kubernetes, String controllerNamespace) {
            this.kubernetes = kubernetes;
            this.controllerNamespace = controllerNamespace;
        }

        @Override
        public ResolvedRepository resolve(WorkflowRef workflow) {
            return resolver().resolve(workflow);
        }

        @Override
        public ArtifactRepository locatedAt(WorkflowRef workflow, S3Location location) {
            return resolver().locatedAt(workflow, location);
        }

        private RepositoryResolver resolver() {
            RepositoryResolver r = resolver;
            if (r == null) {
                synchronized (this) {
                    if (resolver == null) {
                        resolver =
                                KubernetesRepositoryResolver.builder(kubernetes.get())
                                        .controllerNamespace(controllerNamespace)
                                        .build();
                    }
                    r = resolver;
                }
            }
            return r;
        }
    }
}
