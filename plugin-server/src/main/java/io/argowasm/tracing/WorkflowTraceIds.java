package io.argowasm.tracing;

import io.argowasm.argo.WorkflowMetadata;
import io.argowasm.artifacts.kubernetes.ArgoResources;
import io.argowasm.exec.StepContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trace id Argo (4.1 and later) gives a workflow, read from the annotation {@value
 * WorkflowMetadata#TRACE_ID_ANNOTATION} of its Workflow object: Argo's agent sends plugins neither
 * annotations nor a {@code traceparent}. One {@code get} per workflow, remembered; a workflow that
 * cannot be read (no permission, no cluster) simply starts traces of its own.
 */
final class WorkflowTraceIds {

    private static final Logger log = LoggerFactory.getLogger(WorkflowTraceIds.class);
    private static final int REMEMBERED = 256;

    private final Supplier<KubernetesClient> makeClient;
    private KubernetesClient client;
    private final Map<String, Optional<String>> known =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
                    return size() > REMEMBERED;
                }
            };
    private boolean warned;

    /**
     * @param makeClient makes the cluster's client, on the first lookup
     */
    WorkflowTraceIds(Supplier<KubernetesClient> makeClient) {
        this.makeClient = makeClient;
    }

    private synchronized KubernetesClient client() {
        if (client == null) {
            client = makeClient.get();
        }
        return client;
    }

    /** The workflow's trace id, or null when it has none or cannot be read. */
    String of(StepContext step) {
        if (step.workflow().isEmpty() || step.namespace().isEmpty()) {
            return null;
        }
        String key = step.namespace() + "/" + step.workflow() + "/" + step.uid();
        synchronized (known) {
            Optional<String> seen = known.get(key);
            if (seen != null) {
                return seen.orElse(null);
            }
        }
        Optional<String> found = Optional.ofNullable(read(step));
        synchronized (known) {
            known.put(key, found);
        }
        return found.orElse(null);
    }

    private String read(StepContext step) {
        try {
            GenericKubernetesResource workflow =
                    client().genericKubernetesResources(ArgoResources.WORKFLOWS)
                            .inNamespace(step.namespace())
                            .withName(step.workflow())
                            .get();
            if (workflow == null
                    || (!step.uid().isEmpty()
                            && !step.uid().equals(workflow.getMetadata().getUid()))) {
                return null; // gone, or another workflow of the same name
            }
            Map<String, String> annotations = workflow.getMetadata().getAnnotations();
            return annotations == null
                    ? null
                    : annotations.get(WorkflowMetadata.TRACE_ID_ANNOTATION);
        } catch (KubernetesClientException | IllegalStateException e) {
            synchronized (this) {
                if (!warned) {
                    warned = true;
                    log.warn(
                            "cannot read Workflow {}/{} for its trace id ({}); steps start traces"
                                    + " of their own. The sidecar's ServiceAccount needs get on"
                                    + " workflows.argoproj.io (manifests/rbac.yaml)",
                            step.namespace(),
                            step.workflow(),
                            e.getMessage());
                }
            }
            return null;
        }
    }
}
