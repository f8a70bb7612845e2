package io.argowasm.agent;

import io.argowasm.argo.Json;
import io.argowasm.argo.WorkflowMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One WorkflowTaskSet as the agent reads it: the tasks the controller wants run ({@code
 * spec.tasks}, keyed by node id) and the results already written ({@code status.nodes}). A {@code
 * null} entry counts as absent: a merge patch of {@code null} removes a key on a real API server
 * and leaves it as {@code null} on fabric8's mock.
 */
record TaskSet(
        String namespace,
        String name,
        String uid,
        String resourceVersion,
        WorkflowMetadata workflow,
        boolean completed,
        Map<String, JsonNode> tasks,
        Map<String, JsonNode> results) {

    static final String GROUP = "argoproj.io";
    static final String VERSION = "v1alpha1";
    static final String PLURAL = "workflowtasksets";
    static final String KIND = "WorkflowTaskSet";

    /** What the client needs to reach WorkflowTaskSets without a typed model. */
    static final ResourceDefinitionContext CONTEXT =
            new ResourceDefinitionContext.Builder()
                    .withGroup(GROUP)
                    .withVersion(VERSION)
                    .withPlural(PLURAL)
                    .withKind(KIND)
                    .withNamespaced(true)
                    .build();

    static final String INSTANCE_ID_LABEL = "workflows.argoproj.io/controller-instanceid";
    static final String COMPLETED_LABEL = "workflows.argoproj.io/completed";

    /** The phases after which the controller consumes a result and the agent must not write. */
    static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed", "Error");

    /**
     * The label selector of the controller's own task-set informer ({@code InstanceIDRequirement}),
     * narrowed to task sets of workflows still running. {@code !=} also matches a task set without
     * the label, as it is right after creation.
     */
    static String labelSelector(String instanceId) {
        String instance =
                instanceId == null || instanceId.isEmpty()
                        ? "!" + INSTANCE_ID_LABEL
                        : INSTANCE_ID_LABEL + "=" + instanceId;
        return instance + "," + COMPLETED_LABEL + "!=true";
    }

    static TaskSet of(GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        JsonNode spec = Json.mapper().valueToTree(resource.getAdditionalProperties().get("spec"));
        JsonNode status =
                Json.mapper().valueToTree(resource.getAdditionalProperties().get("status"));
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        List<OwnerReference> owners = meta.getOwnerReferences();
        String workflowUid = owners == null || owners.isEmpty() ? null : owners.get(0).getUid();
        return new TaskSet(
                meta.getNamespace(),
                meta.getName(),
                meta.getUid(),
                meta.getResourceVersion(),
                new WorkflowMetadata(meta.getName(), meta.getNamespace(), workflowUid),
                "true".equals(labels.get(COMPLETED_LABEL)),
                present(spec == null ? null : spec.get("tasks")),
                present(status == null ? null : status.get("nodes")));
    }

    private static Map<String, JsonNode> present(JsonNode map) {
        if (map == null || !map.isObject()) {
            return Map.of();
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isNull()) {
                entries.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    TaskSetKey key() {
        return new TaskSetKey(namespace, name);
    }

    /** Whether a result for the node is already written and final. */
    boolean answered(String nodeId) {
        JsonNode result = results.get(nodeId);
        return result != null && TERMINAL_PHASES.contains(result.path("phase").asString(""));
    }
}
