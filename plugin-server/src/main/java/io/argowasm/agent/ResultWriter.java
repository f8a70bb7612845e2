package io.argowasm.agent;

import io.argowasm.argo.Json;
import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one node's result into a task set's status, at once and alone: a merge patch of {@code
 * status.nodes.<id>} on the status subresource, carrying the resourceVersion the agent checked. The
 * API server answers 409 when the task set changed since; the writer then reads it again and writes
 * only if the node is still in {@code spec.tasks} and still has no final result. So no result ever
 * lands on a node the controller removed (which would block its workflow) or overwrites one already
 * consumed.
 */
final class ResultWriter {

    private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    /** Attempts after errors other than a conflict. */
    private static final int ATTEMPTS = 8;

    /** Conflicts in a row: each means another writer made progress, so there may be many. */
    private static final int CONFLICTS = 100;

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Why a result was not written; {@link #WRITTEN} when it was. */
    enum Outcome {
        WRITTEN,
        /** The task set is gone, or is another one now (same name, new uid). */
        TASK_SET_GONE,
        /** The node left {@code spec.tasks}: the controller no longer wants it. */
        NODE_GONE,
        /** A final result is there already (another replica's, or an earlier run's). */
        ALREADY_ANSWERED,
        /** The API server kept refusing; logged. */
        FAILED
    }

    private final KubernetesClient client;
    private final Function<TaskSetKey, GenericKubernetesResource> cached;
    // What this writer's last patch of a task set returned: newer than the informer's copy until
    // the watch delivers the change, so the next write need not fail with 409 first.
    private final Map<TaskSetKey, GenericKubernetesResource> patched = new ConcurrentHashMap<>();

    /**
     * @param cached the informer's copy of a task set, or null: the first check needs no request
     */
    ResultWriter(KubernetesClient client, Function<TaskSetKey, GenericKubernetesResource> cached) {
        this.client = client;
        this.cached = cached;
    }

    Outcome write(TaskSetKey key, String uid, String nodeId, NodeResult result)
            throws InterruptedException {
        GenericKubernetesResource current = newer(cached.apply(key), patched.get(key));
        Duration backoff = FIRST_BACKOFF;
        int conflicts = 0;
        for (int attempt = 1; ; attempt++) {
            if (current == null || !uid.equals(current.getMetadata().getUid())) {
                return Outcome.TASK_SET_GONE;
            }
            TaskSet taskSet = TaskSet.of(current);
            if (!taskSet.tasks().containsKey(nodeId)) {
                return Outcome.NODE_GONE;
            }
            if (taskSet.answered(nodeId)) {
                return Outcome.ALREADY_ANSWERED;
            }
            try {
                GenericKubernetesResource after =
                        client.genericKubernetesResources(TaskSet.CONTEXT)
                                .inNamespace(key.namespace())
                                .resource(current)
                                .subresource("status")
                                .patch(MERGE, body(taskSet.resourceVersion(), nodeId, result));
                if (after != null) {
                    patched.put(key, after);
                }
                return Outcome.WRITTEN;
            } catch (KubernetesClientException e) {
                boolean conflict = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
                if (conflict ? ++conflicts >= CONFLICTS : attempt - conflicts >= ATTEMPTS) {
                    log.error(
                            "[{}] the result of node {} could not be written after {} attempts: {}",
                            key,
                            nodeId,
                            attempt,
                            e.getMessage());
                    return Outcome.FAILED;
                }
                if (conflict) {
                    // Changed since it was read: read again and check the node once more.
                    patched.remove(key);
                    current = fresh(key);
                    continue;
                }
                if (!isTransient(e)) {
                    // A result the API server refuses (too large, invalid): say so in its place.
                    result = rejected(e);
                }
                Thread.sleep(backoff.toMillis());
                backoff =
                        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                                ? MAX_BACKOFF
                                : backoff.multipliedBy(2);
                current = fresh(key);
            }
        }
    }

    /** Forgets a task set that is gone. */
    void forget(TaskSetKey key) {
        patched.remove(key);
    }

    /**
     * The newer of two copies of a task set, by resourceVersion when both are numbers (as etcd's
     * are); the informer's otherwise. Only a starting point: the API server checks the version.
     */
    private static GenericKubernetesResource newer(
            GenericKubernetesResource informer, GenericKubernetesResource own) {
        if (own == null || informer == null) {
            return informer;
        }
        if (!own.getMetadata().getUid().equals(informer.getMetadata().getUid())) {
            return informer;
        }
        try {
            long a = Long.parseLong(informer.getMetadata().getResourceVersion());
            long b = Long.parseLong(own.getMetadata().getResourceVersion());
            return b > a ? own : informer;
        } catch (NumberFormatException e) {
            return informer;
        }
    }

    private GenericKubernetesResource fresh(TaskSetKey key) {
        try {
            return client.genericKubernetesResources(TaskSet.CONTEXT)
                    .inNamespace(key.namespace())
                    .withName(key.name())
                    .get();
        } catch (KubernetesClientException e) {
            log.warn("[{}] could not read the task set again: {}", key, e.getMessage());
            return cached.apply(key);
        }
    }

    /** {@code {"metadata":{"resourceVersion":rv},"status":{"nodes":{id:result}}}}. */
    static String body(String resourceVersion, String nodeId, NodeResult result) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("metadata").put("resourceVersion", resourceVersion);
        body.putObject("status").putObject("nodes").set(nodeId, Json.mapper().valueToTree(result));
        return body.toString();
    }

    private static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        return code <= 0 || code == 429 || code >= 500;
    }

    private static NodeResult rejected(KubernetesClientException e) {
        String reason =
                e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage()
                        : e.getMessage();
        if (reason.length() > 500) {
            reason = reason.substring(0, 500) + "...";
        }
        return new NodeResult(
                NodePhase.Error,
                "the step finished but the API server refused its result: %s".formatted(reason),
                null);
    }
}
