package io.argowasm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.argowasm.argo.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo's workflow controller as the agent sees it: it creates task sets, adds tasks and removes
 * finished ones with the exact requests of {@code workflow/controller/taskset.go}, and reads
 * results back.
 */
final class FakeController {

    /**
     * How the controller's removal reaches the mock: as Argo sends it, or as a real server acts.
     */
    enum Removal {
        /** Two merge patches with {@code null}: Argo's requests (the mock keeps the null). */
        MERGE_NULL,
        /** Two JSON patches {@code remove}: what a real API server does with the merge patches. */
        JSON_REMOVE
    }

    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final String instanceId;

    FakeController(KubernetesClient client, String instanceId) {
        this.client = client;
        this.instanceId = instanceId;
    }

    FakeController(KubernetesClient client) {
        this(client, null);
    }

    /** {@code Create} as in {@code taskset.go:182-206}: owner reference, tasks, no status. */
    GenericKubernetesResource create(String namespace, String name, Map<String, JsonNode> tasks) {
        GenericKubernetesResourceBuilder builder =
                new GenericKubernetesResourceBuilder()
                        .withApiVersion(TaskSet.GROUP + "/" + TaskSet.VERSION)
                        .withKind(TaskSet.KIND)
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withOwnerReferences(
                                new OwnerReferenceBuilder()
                                        .withApiVersion("argoproj.io/v1alpha1")
                                        .withKind("Workflow")
                                        .withName(name)
                                        .withUid(UUID.randomUUID().toString())
                                        .build())
                        .endMetadata();
        if (instanceId != null) {
            builder.editMetadata().addToLabels(TaskSet.INSTANCE_ID_LABEL, instanceId).endMetadata();
        }
        GenericKubernetesResource resource = builder.build();
        resource.setAdditionalProperty(
                "spec", Map.of("tasks", Json.mapper().convertValue(tasks, Map.class)));
        return client.genericKubernetesResources(TaskSet.CONTEXT)
                .inNamespace(namespace)
                .resource(resource)
                .create();
    }

    /** The AlreadyExists path, {@code taskset.go:210-219}: labels and all unfulfilled tasks. */
    void addTasks(String namespace, String name, Map<String, JsonNode> tasks) {
        ObjectNode patch = Json.mapper().createObjectNode();
        patch.putObject("metadata").putObject("labels").put(TaskSet.COMPLETED_LABEL, "false");
        ObjectNode specTasks = patch.putObject("spec").putObject("tasks");
        tasks.forEach(specTasks::set);
        resource(namespace, name).patch(MERGE, patch.toString());
    }

    /**
     * The removal of finished nodes, {@code taskset.go:69-88}: their results first, then their
     * tasks; between the two a task is in spec with no result.
     *
     * @return the task set's resourceVersion once the tasks are gone
     */
    String removeFinished(String namespace, String name, Collection<String> nodes, Removal how) {
        if (how == Removal.MERGE_NULL) {
            ObjectNode status = Json.mapper().createObjectNode();
            ObjectNode results = status.putObject("status").putObject("nodes");
            nodes.forEach(results::putNull);
            resource(namespace, name).subresource("status").patch(MERGE, status.toString());
            ObjectNode spec = Json.mapper().createObjectNode();
            ObjectNode tasks = spec.putObject("spec").putObject("tasks");
            nodes.forEach(tasks::putNull);
            return resource(namespace, name)
                    .patch(MERGE, spec.toString())
                    .getMetadata()
                    .getResourceVersion();
        } else {
            GenericKubernetesResource current = resource(namespace, name).get();
            TaskSet taskSet = TaskSet.of(current);
            ArrayNode status = Json.mapper().createArrayNode();
            for (String node : nodes) {
                if (taskSet.results().containsKey(node)) {
                    status.addObject().put("op", "remove").put("path", "/status/nodes/" + node);
                }
            }
            if (!status.isEmpty()) {
                resource(namespace, name).subresource("status").patch(JSON, status.toString());
            }
            ArrayNode spec = Json.mapper().createArrayNode();
            for (String node : nodes) {
                spec.addObject().put("op", "remove").put("path", "/spec/tasks/" + node);
            }
            return resource(namespace, name)
                    .patch(JSON, spec.toString())
                    .getMetadata()
                    .getResourceVersion();
        }
    }

    /** Marks the workflow completed, as the removal's second patch does once it is fulfilled. */
    void complete(String namespace, String name) {
        resource(namespace, name)
                .patch(
                        MERGE,
                        "{\"metadata\":{\"labels\":{\"%s\":\"true\"}}}"
                                .formatted(TaskSet.COMPLETED_LABEL));
    }

    /** The results now in status, as {@code reconcileTaskSet} reads them. */
    Map<String, JsonNode> results(String namespace, String name) {
        GenericKubernetesResource current = resource(namespace, name).get();
        return current == null ? Map.of() : TaskSet.of(current).results();
    }

    /** Waits until every node has a result, and returns them; fails after {@code patience}. */
    Map<String, JsonNode> awaitResults(
            String namespace, String name, Collection<String> nodes, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Map<String, JsonNode> results = results(namespace, name);
            if (results.keySet().containsAll(nodes)) {
                return new LinkedHashMap<>(results);
            }
            assertThat(System.nanoTime())
                    .as(
                            "results for %s in %s/%s; have %s",
                            nodes, namespace, name, results.keySet())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource(
            String namespace, String name) {
        return client.genericKubernetesResources(TaskSet.CONTEXT)
                .inNamespace(namespace)
                .withName(name);
    }
}
