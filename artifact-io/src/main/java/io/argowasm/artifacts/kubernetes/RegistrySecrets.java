package io.argowasm.artifacts.kubernetes;

import io.argowasm.artifacts.WorkflowRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry logins a workflow may use, as Docker config JSON from its pull Secrets ({@code
 * kubernetes.io/dockerconfigjson}, key {@code .dockerconfigjson}, or the legacy {@code
 * kubernetes.io/dockercfg}, key {@code .dockercfg}): a Secret the template names first, then those
 * of the Workflow's {@code spec.imagePullSecrets} (or of the WorkflowTemplate it was submitted
 * from, {@code status.storedWorkflowTemplateSpec}). Argo's agent request carries only the
 * Workflow's metadata, so the Workflow is read here; as for pods, an image pull secret that does
 * not exist is skipped with a warning, while a Secret named explicitly must exist.
 *
 * <p>RBAC in the workflow's namespace: {@code get} on {@code secrets} and on {@code
 * workflows.argoproj.io} (without the latter only explicitly named Secrets are read). Results are
 * kept for a short time per workflow and name.
 */
public final class RegistrySecrets {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySecrets.class);

    static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    static final String DOCKER_CFG = "kubernetes.io/dockercfg";

    /** The Docker config JSON of one Secret, and how messages name it. */
    public record DockerConfig(String source, String json) {}

    /** A Secret that was named but cannot be used; the message names it and the fix. */
    public static final class SecretException extends RuntimeException {
        SecretException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Key(WorkflowRef workflow, String named) {}

    private final KubernetesClient client;
    private final ExpiringCache<Key, List<DockerConfig>> cache;

    public RegistrySecrets(KubernetesClient client) {
        this(client, Duration.ofSeconds(30), Clock.systemUTC());
    }

    RegistrySecrets(KubernetesClient client, Duration ttl, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.cache = new ExpiringCache<>(ttl, clock);
    }

    /**
     * The Docker configs a step of {@code workflow} may use, {@code named} first.
     *
     * @param named a Secret the template names, or null
     * @throws SecretException when {@code named} is missing, unreadable or not a pull secret
     */
    public List<DockerConfig> forWorkflow(WorkflowRef workflow, String named) {
        return cache.get(new Key(workflow, named), () -> load(workflow, named));
    }

    private List<DockerConfig> load(WorkflowRef workflow, String named) {
        List<DockerConfig> configs = new ArrayList<>();
        if (named != null) {
            String what = "module.pullSecret Secret %s/%s".formatted(workflow.namespace(), named);
            Secret secret = read(workflow.namespace(), named, what);
            if (secret == null) {
                throw new SecretException(
                        ("%s does not exist; create it in the workflow's namespace, e.g. kubectl"
                                        + " create secret docker-registry %s -n %s"
                                        + " --docker-server=REGISTRY --docker-username=USER"
                                        + " --docker-password=PASSWORD")
                                .formatted(what, named, workflow.namespace()),
                        null);
            }
            configs.add(dockerConfig(secret, what));
        }
        for (String name : imagePullSecrets(workflow)) {
            if (name.equals(named)) {
                continue;
            }
            String what = "imagePullSecrets Secret %s/%s".formatted(workflow.namespace(), name);
            try {
                Secret secret = read(workflow.namespace(), name, what);
                if (secret == null) {
                    LOG.warn("{} of workflow {} does not exist; skipping it", what, workflow);
                    continue;
                }
                configs.add(dockerConfig(secret, what));
            } catch (SecretException e) {
                LOG.warn("skipping it: {}", e.getMessage());
            }
        }
        return List.copyOf(configs);
    }

    /** The names in the Workflow's image pull secrets, or none when it cannot be read. */
    private Set<String> imagePullSecrets(WorkflowRef workflow) {
        GenericKubernetesResource resource;
        try {
            resource =
                    client.genericKubernetesResources(ArgoResources.WORKFLOWS)
                            .inNamespace(workflow.namespace())
                            .withName(workflow.name())
                            .get();
        } catch (KubernetesClientException e) {
            LOG.warn(
                    "cannot read Workflow {} ({}); its spec.imagePullSecrets are not used, only"
                            + " module.pullSecret; grant the plugin's ServiceAccount get on"
                            + " workflows.argoproj.io",
                    workflow,
                    e.getCode() == 403 ? "forbidden" : e.getMessage());
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        if (resource != null) {
            names(resource.get("spec", "imagePullSecrets"), names);
            names(resource.get("status", "storedWorkflowTemplateSpec", "imagePullSecrets"), names);
        }
        return names;
    }

    private static void names(Object list, Set<String> into) {
        if (list instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                    into.add(name);
                }
            }
        }
    }

    private Secret read(String namespace, String name, String what) {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new SecretException(
                    "cannot read %s: %s"
                            .formatted(
                                    what,
                                    e.getCode() == 403
                                            ? "forbidden; grant the plugin's ServiceAccount get"
                                                    + " on secrets"
                                            : e.getMessage()),
                    e);
        }
    }

    private static DockerConfig dockerConfig(Secret secret, String what) {
        String key =
                DOCKER_CFG.equals(secret.getType())
                        ? ".dockercfg"
                        : DOCKER_CONFIG_JSON.equals(secret.getType()) ? ".dockerconfigjson" : null;
        if (key == null) {
            throw new SecretException(
                    ("%s is of type '%s', not %s; create it with kubectl create secret"
                                    + " docker-registry")
                            .formatted(what, secret.getType(), DOCKER_CONFIG_JSON),
                    null);
        }
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            try {
                return new DockerConfig(
                        what,
                        new String(
                                Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SecretException("%s: data.%s is not base64".formatted(what, key), e);
            }
        }
        Map<String, String> stringData = secret.getStringData();
        if (stringData != null && stringData.get(key) != null) {
            return new DockerConfig(what, stringData.get(key));
        }
        throw new SecretException("%s has no key %s".formatted(what, key), null);
    }
}
