package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@code steps} template: groups one after another, the steps of a group in parallel. A
 * group fails when one of its steps fails without {@code continueOn}, and then no later group runs.
 */
final class StepsRunner implements TemplateRunner {

    private final WorkflowRun run;

    StepsRunner(WorkflowRun run) {
        this.run = run;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        Node node = run.open(invocation, NodeType.Steps, bound);
        ChildRunner children = ChildRunner.forTemplate(run, bound);
        Scope scope = bound.scope();
        JsonNode groups = bound.template().path("steps");
        for (int g = 0; g < groups.size(); g++) {
            String groupName = node.name() + "[" + g + "]";
            Node group =
                    run.tree()
                            .create(
                                    node,
                                    groupName,
                                    "[" + g + "]",
                                    NodeType.StepGroup,
                                    node.templateName(),
                                    g);
            run.tree().start(group);
            List<Future<StepOutcome>> futures = new ArrayList<>();
            JsonNode steps = groups.get(g);
            for (int s = 0; s < steps.size(); s++) {
                JsonNode step = steps.get(s);
                String where = bound.resolved().at("steps[" + g + "][" + s + "]");
                String stepNodeName = groupName + "." + step.path("name").asString();
                int position = s;
                Scope groupScope = scope;
                futures.add(
                        run.submit(
                                () ->
                                        children.run(
                                                group,
                                                stepNodeName,
                                                step,
                                                groupScope,
                                                where,
                                                position)));
            }
            String failure = null;
            List<StepOutcome> outcomes = WorkflowRun.all(futures);
            for (int s = 0; s < outcomes.size(); s++) {
                StepOutcome outcome = outcomes.get(s);
                scope = outcome.addTo(scope, "steps");
                if (failure == null
                        && outcome.phase().failed()
                        && !continues(steps.get(s), outcome.phase())) {
                    failure = outcome.failureMessage();
                }
            }
            if (failure != null) {
                run.finish(group, NodePhase.Failed, failure);
                run.finish(node, NodePhase.Failed, failure);
                return node;
            }
            run.finish(group, NodePhase.Succeeded, "");
        }
        return TemplateOutputs.finish(run, node, bound, scope);
    }

    /** Whether {@code continueOn} lets the workflow go on after this phase. */
    static boolean continues(JsonNode step, NodePhase phase) {
        JsonNode continueOn = step.path("continueOn");
        return phase == NodePhase.Failed
                ? continueOn.path("failed").asBoolean(false)
                : continueOn.path("error").asBoolean(false);
    }
}
