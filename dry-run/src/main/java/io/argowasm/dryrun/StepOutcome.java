package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.List;
import java.util.Locale;

/**
 * How a step or task ended: one node, or one per item when expanded.
 *
 * @param name the step or task name
 */
record StepOutcome(String name, List<Node> nodes, boolean expanded, NodePhase phase) {

    static StepOutcome single(String name, Node node) {
        return new StepOutcome(name, List.of(node), false, node.phase());
    }

    /** Failed when an item failed, Error when one errored, Skipped when there were none. */
    static StepOutcome expanded(String name, List<Node> nodes) {
        NodePhase phase = nodes.isEmpty() ? NodePhase.Skipped : NodePhase.Succeeded;
        for (Node node : nodes) {
            if (node.phase() == NodePhase.Error) {
                phase = NodePhase.Error;
            } else if (node.phase() == NodePhase.Failed && phase != NodePhase.Error) {
                phase = NodePhase.Failed;
            }
        }
        return new StepOutcome(name, nodes, true, phase);
    }

    /** The step's results added to a scope under {@code prefix.name}. */
    Scope addTo(Scope scope, String prefix) {
        return expanded
                ? scope.withExpandedNodes(prefix + "." + name, nodes, phase.name())
                : scope.withNode(prefix + "." + name, nodes.get(0));
    }

    DependsExpression.TaskOutcome taskOutcome() {
        return new DependsExpression.TaskOutcome(
                phase, expanded ? nodes.stream().map(Node::phase).toList() : List.of(phase));
    }

    /** The first message of a failed node, for the parent's message. */
    String failureMessage() {
        return nodes.stream()
                .filter(n -> n.phase().failed())
                .map(
                        n ->
                                "child '%s' %s%s"
                                        .formatted(
                                                n.displayName(),
                                                n.phase().name().toLowerCase(Locale.ROOT),
                                                (n.message().isEmpty()
                                                        ? ""
                                                        : ": %s".formatted(n.message()))))
                .findFirst()
                .orElse("");
    }
}
