package io.argowasm.artifacts.kubernetes;

import io.argowasm.artifacts.ArtifactRepository;
import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.RepositoryResolver;
import io.argowasm.artifacts.ResolvedRepository;
import io.argowasm.artifacts.S3Location;
import io.argowasm.artifacts.SecretKeyRef;
import io.argowasm.artifacts.WorkflowRef;
import io.argowasm.artifacts.s3.S3ArtifactRepository;
import io.argowasm.artifacts.s3.S3Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves repositories inside a cluster as Argo does (see {@link RepositoryLookup} for the order)
 * and reads the credentials from the Secrets they name, in the workflow's namespace. Results are
 * cached per workflow for a short time, so a busy workflow does not read the same ConfigMaps and
 * Secrets on every call.
 *
 * <p>RBAC the plugin's ServiceAccount needs in the workflow's namespace: {@code get} on {@code
 * configmaps} and {@code secrets}, and optionally on {@code workflows.argoproj.io} (without it the
 * ConfigMaps are used directly); {@code get} on {@code configmaps} in the controller's namespace
 * for the default repository.
 */
public final class KubernetesRepositoryResolver implements RepositoryResolver {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesRepositoryResolver.class);

    private record LocationKey(String namespace, S3Location location) {}

    private final KubernetesClient client;
    private final RepositoryLookup lookup;
    private final ExpiringCache<WorkflowRef, ResolvedRepository> byWorkflow;
    private final ExpiringCache<LocationKey, ArtifactRepository> byLocation;

    private KubernetesRepositoryResolver(Builder builder) {
        this.client = builder.client;
        this.lookup =
                new RepositoryLookup(
                        builder.client, builder.controllerNamespace, builder.controllerConfigMap);
        this.byWorkflow = new ExpiringCache<>(builder.cacheTtl, builder.clock);
        this.byLocation = new ExpiringCache<>(builder.cacheTtl, builder.clock);
    }

    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    @Override
    public ResolvedRepository resolve(WorkflowRef workflow) {
        return byWorkflow.get(workflow, () -> load(workflow));
    }

    @Override
    public ArtifactRepository locatedAt(WorkflowRef workflow, S3Location location) {
        S3Location bucket = location.toBuilder().key(null).build();
        return byLocation.get(
                new LocationKey(workflow.namespace(), bucket),
                () ->
                        S3ArtifactRepository.builder(
                                        bucket,
                                        credentials(
                                                workflow.namespace(),
                                                bucket,
                                                "the artifact's own s3 location"))
                                .build());
    }

    private ResolvedRepository load(WorkflowRef workflow) {
        FoundRepository found = lookup.find(workflow);
        RepositoryConfig config = RepositoryConfig.of(found);
        S3ArtifactRepository repository =
                S3ArtifactRepository.builder(
                                config.location(),
                                credentials(
                                        workflow.namespace(), config.location(), found.source()))
                        .build();
        LOG.info(
                "workflow {} uses the artifact repository in {}: {}",
                workflow,
                found.source(),
                repository.description());
        return new ResolvedRepository(repository, config.keyFormat(), found.workflowCreated());
    }

    /** Argo's precedence: key Secrets, else the SDK chain (useSDKCreds, or IAM by default). */
    private S3Credentials credentials(String namespace, S3Location location, String source) {
        SecretKeyRef access = location.accessKeySecret();
        SecretKeyRef secret = location.secretKeySecret();
        if (access == null && secret == null) {
            return S3Credentials.sdkChain();
        }
        if (access == null || secret == null) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    ("the S3 settings in %s name only one of accessKeySecret and"
                                    + " secretKeySecret; name both, or neither with useSDKCreds:"
                                    + " true")
                            .formatted(source));
        }
        String sessionToken =
                location.sessionTokenSecret() == null
                        ? null
                        : secretValue(
                                namespace,
                                location.sessionTokenSecret(),
                                "sessionTokenSecret",
                                source);
        return S3Credentials.of(
                secretValue(namespace, access, "accessKeySecret", source),
                secretValue(namespace, secret, "secretKeySecret", source),
                sessionToken);
    }

    private String secretValue(String namespace, SecretKeyRef ref, String field, String source) {
        String described =
                "Secret %s/%s (key '%s', the %s of %s)"
                        .formatted(namespace, ref.name(), ref.key(), field, source);
        if (ref.name() == null || ref.key() == null) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "%s of %s needs both name and key".formatted(field, source));
        }
        Secret found;
        try {
            found = client.secrets().inNamespace(namespace).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "cannot read %s%s"
                            .formatted(
                                    described,
                                    e.getCode() == 403
                                            ? ": forbidden; grant the plugin's ServiceAccount get"
                                                    + " on secrets"
                                            : ": %s".formatted(e.getMessage())),
                    e);
        }
        if (found == null) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "%s does not exist; create it in the workflow's namespace"
                            .formatted(described));
        }
        if (found.getData() != null && found.getData().get(ref.key()) != null) {
            return new String(
                    Base64.getDecoder().decode(found.getData().get(ref.key())),
                    StandardCharsets.UTF_8);
        }
        if (found.getStringData() != null && found.getStringData().get(ref.key()) != null) {
            return found.getStringData().get(ref.key());
        }
        throw new ArtifactRepositoryException(
                Reason.NOT_CONFIGURED, "%s has no such key".formatted(described));
    }

    /** Options of {@link KubernetesRepositoryResolver}. */
    public static final class Builder {
        private final KubernetesClient client;
        private String controllerNamespace = "argo";
        private String controllerConfigMap = "workflow-controller-configmap";
        private Duration cacheTtl = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Namespace of the workflow controller and its ConfigMap (default {@code argo}). */
        public Builder controllerNamespace(String namespace) {
            this.controllerNamespace = Objects.requireNonNull(namespace);
            return this;
        }

        /** The controller's ConfigMap (default {@code workflow-controller-configmap}). */
        public Builder controllerConfigMap(String name) {
            this.controllerConfigMap = Objects.requireNonNull(name);
            return this;
        }

        /** How long a resolution (with its credentials) is reused; zero disables caching. */
        public Builder cacheTtl(Duration ttl) {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("cache TTL must not be negative");
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** The clock cache expiry is measured with (for tests). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public KubernetesRepositoryResolver build() {
            return new KubernetesRepositoryResolver(this);
        }
    }
}
