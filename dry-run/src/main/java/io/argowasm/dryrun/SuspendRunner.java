package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A {@code suspend} template: Skipped, as nobody resumes a dry run; its output parameters take
 * their defaults, the values a user would supply on resume.
 */
final class SuspendRunner implements TemplateRunner {

    private final WorkflowRun run;

    SuspendRunner(WorkflowRun run) {
        this.run = run;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        Node node = run.create(invocation, NodeType.Suspend);
        run.tree().start(node);
        String duration = bound.template().path("suspend").path("duration").asString("");
        Map<String, String> outputs = new LinkedHashMap<>();
        for (JsonNode p : bound.template().path("outputs").path("parameters")) {
            // Values a user would supply on resume: dry-run takes the default.
            JsonNode fallback = p.path("valueFrom").path("default");
            if (!fallback.isMissingNode()) {
                outputs.put(p.path("name").asString(), Scalars.text(fallback));
            }
        }
        node.outputs(outputs, List.of(), null);
        run.finish(
                node,
                NodePhase.Skipped,
                "suspend skipped by dry-run (in a cluster it waits %s)"
                        .formatted(duration.isEmpty() ? "for argo resume" : duration));
        return node;
    }
}
