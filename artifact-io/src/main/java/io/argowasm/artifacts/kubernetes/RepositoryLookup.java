package io.argowasm.artifacts.kubernetes;

import io.argowasm.artifacts.ArtifactRepositoryException;
import io.argowasm.artifacts.ArtifactRepositoryException.Reason;
import io.argowasm.artifacts.WorkflowRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds a workflow's artifact repository in Argo's order ({@code
 * workflow/artifactrepositories/artifactrepositories.go}):
 *
 * <ol>
 *   <li>the repository the controller resolved and stored on the Workflow, {@code
 *       status.artifactRepositoryRef.artifactRepository};
 *   <li>an {@code artifactRepositoryRef} (from the Workflow's status or spec): its ConfigMap and
 *       key in the workflow's namespace, then in the controller's;
 *   <li>otherwise ConfigMap {@code artifact-repositories} in the workflow's namespace, at the key
 *       its {@code workflows.argoproj.io/default-artifact-repository} annotation names;
 *   <li>otherwise the controller's ConfigMap, key {@code artifactRepository} (or {@code
 *       artifactRepository} inside its {@code config} key, the older layout).
 * </ol>
 */
final class RepositoryLookup {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryLookup.class);
    private static final YAMLMapper YAML = new YAMLMapper();

    static final String DEFAULT_CONFIG_MAP = "artifact-repositories";
    static final String DEFAULT_KEY_ANNOTATION =
            "workflows.argoproj.io/default-artifact-repository";

    private final KubernetesClient client;
    private final String controllerNamespace;
    private final String controllerConfigMap;

    RepositoryLookup(
            KubernetesClient client, String controllerNamespace, String controllerConfigMap) {
        this.client = client;
        this.controllerNamespace = controllerNamespace;
        this.controllerConfigMap = controllerConfigMap;
    }

    FoundRepository find(WorkflowRef workflow) {
        GenericKubernetesResource resource = readWorkflow(workflow);
        Instant created = resource == null ? null : creationOf(resource);
        JsonNode statusRef =
                resource == null ? null : tree(resource.get("status", "artifactRepositoryRef"));
        if (statusRef != null && statusRef.path("artifactRepository").isObject()) {
            return new FoundRepository(
                    statusRef.get("artifactRepository"),
                    "Workflow %s status.artifactRepositoryRef".formatted(workflow),
                    created);
        }
        if (statusRef != null && statusRef.path("default").asBoolean(false)) {
            return controllerDefault(workflow, created);
        }
        JsonNode ref = isReference(statusRef) ? statusRef : null;
        if (ref == null && resource != null) {
            JsonNode specRef = tree(resource.get("spec", "artifactRepositoryRef"));
            ref = isReference(specRef) ? specRef : null;
        }
        if (ref != null) {
            return fromReference(workflow, ref, created);
        }
        Optional<FoundRepository> namespaced =
                fromConfigMap(workflow.namespace(), DEFAULT_CONFIG_MAP, null, created);
        return namespaced.orElseGet(() -> controllerDefault(workflow, created));
    }

    private FoundRepository fromReference(WorkflowRef workflow, JsonNode ref, Instant created) {
        String configMap = text(ref, "configMap", DEFAULT_CONFIG_MAP);
        String key = text(ref, "key", null);
        String namespace = text(ref, "namespace", null);
        List<String> namespaces = new ArrayList<>();
        if (namespace != null) {
            namespaces.add(namespace);
        } else {
            namespaces.add(workflow.namespace());
            namespaces.add(controllerNamespace);
        }
        for (String candidate : namespaces) {
            Optional<FoundRepository> found = fromConfigMap(candidate, configMap, key, created);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ArtifactRepositoryException(
                Reason.NOT_CONFIGURED,
                ("workflow %s refers to artifact repository ConfigMap '%s'%s,"
                                + " which exists in none of the namespaces %s; create it or fix"
                                + " artifactRepositoryRef")
                        .formatted(
                                workflow,
                                configMap,
                                key == null ? "" : " key '%s'".formatted(key),
                                namespaces));
    }

    private FoundRepository controllerDefault(WorkflowRef workflow, Instant created) {
        ConfigMap configMap = readConfigMap(controllerNamespace, controllerConfigMap);
        String where = "ConfigMap %s/%s".formatted(controllerNamespace, controllerConfigMap);
        if (configMap != null && configMap.getData() != null) {
            String direct = configMap.getData().get("artifactRepository");
            if (direct != null) {
                return new FoundRepository(
                        parse(direct, "%s key 'artifactRepository'".formatted(where)),
                        "%s key 'artifactRepository'".formatted(where),
                        created);
            }
            String config = configMap.getData().get("config");
            if (config != null) {
                JsonNode repository =
                        parse(config, "%s key 'config'".formatted(where))
                                .path("artifactRepository");
                if (repository.isObject()) {
                    return new FoundRepository(
                            repository, "%s key 'config'".formatted(where), created);
                }
            }
        }
        throw new ArtifactRepositoryException(
                Reason.NOT_CONFIGURED,
                ("no artifact repository is configured for workflow %s: the"
                                + " Workflow has no status.artifactRepositoryRef, ConfigMap"
                                + " %s/%s has no default key, and %s has no artifactRepository;"
                                + " configure one as for any Argo artifact")
                        .formatted(workflow, workflow.namespace(), DEFAULT_CONFIG_MAP, where));
    }

    private Optional<FoundRepository> fromConfigMap(
            String namespace, String name, String key, Instant created) {
        ConfigMap configMap = readConfigMap(namespace, name);
        if (configMap == null) {
            return Optional.empty();
        }
        String chosen = key;
        if (chosen == null) {
            Map<String, String> annotations = configMap.getMetadata().getAnnotations();
            chosen = annotations == null ? null : annotations.get(DEFAULT_KEY_ANNOTATION);
        }
        Map<String, String> data = configMap.getData();
        String value = chosen == null || data == null ? null : data.get(chosen);
        if (value == null) {
            LOG.debug("ConfigMap {}/{} has no artifact repository key {}", namespace, name, chosen);
            return Optional.empty();
        }
        String source = "ConfigMap %s/%s key '%s'".formatted(namespace, name, chosen);
        return Optional.of(new FoundRepository(parse(value, source), source, created));
    }

    private GenericKubernetesResource readWorkflow(WorkflowRef workflow) {
        try {
            return client.genericKubernetesResources(ArgoResources.WORKFLOWS)
                    .inNamespace(workflow.namespace())
                    .withName(workflow.name())
                    .get();
        } catch (KubernetesClientException e) {
            // Without get on workflows the ConfigMaps still give the same answer.
            LOG.warn(
                    "cannot read Workflow {} ({}); looking up the repository in ConfigMaps",
                    workflow,
                    e.getCode() == 403 ? "forbidden" : e.getMessage());
            return null;
        }
    }

    private ConfigMap readConfigMap(String namespace, String name) {
        try {
            return client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "cannot read ConfigMap %s/%s%s"
                            .formatted(
                                    namespace,
                                    name,
                                    e.getCode() == 403
                                            ? ": forbidden; grant the plugin's ServiceAccount get"
                                                    + " on configmaps"
                                            : ": %s".formatted(e.getMessage())),
                    e);
        }
    }

    private static JsonNode parse(String yaml, String source) {
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || !node.isObject()) {
                throw new ArtifactRepositoryException(
                        Reason.NOT_CONFIGURED, "%s does not hold a YAML object".formatted(source));
            }
            return node;
        } catch (JacksonException e) {
            throw new ArtifactRepositoryException(
                    Reason.NOT_CONFIGURED,
                    "%s is not valid YAML: %s".formatted(source, e.getOriginalMessage()),
                    e);
        }
    }

    private static boolean isReference(JsonNode ref) {
        return ref != null && (ref.has("configMap") || ref.has("key"));
    }

    private static JsonNode tree(Object value) {
        return value == null ? null : YAML.valueToTree(value);
    }

    private static Instant creationOf(GenericKubernetesResource resource) {
        String timestamp = resource.getMetadata().getCreationTimestamp();
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asString().isEmpty()
                ? fallback
                : value.asString();
    }
}
