package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;

/**
 * Runs one step or DAG task as Argo does: expands {@code withItems}/{@code withParam} into items
 * run in parallel, checks {@code when}, substitutes its arguments and runs its template.
 */
final class ChildRunner {

    private final WorkflowRun run;
    private final WorkflowDocument caller;
    private final Semaphore templateParallelism;

    /**
     * @param caller the document of the template holding the step, where template names resolve
     * @param templateParallelism the template's own {@code parallelism}, or {@code null}
     */
    ChildRunner(WorkflowRun run, WorkflowDocument caller, Semaphore templateParallelism) {
        this.run = run;
        this.caller = caller;
        this.templateParallelism = templateParallelism;
    }

    /** The runner of a steps or dag template's children, bound by its {@code parallelism}. */
    static ChildRunner forTemplate(WorkflowRun run, BoundTemplate bound) {
        int parallelism = bound.template().path("parallelism").asInt(0);
        return new ChildRunner(
                run,
                bound.resolved().document(),
                parallelism > 0 ? new Semaphore(parallelism, true) : null);
    }

    /**
     * @param parent the node the step's nodes go under
     * @param nodeName the step's node name before any item suffix
     * @param where the step's location, for messages
     * @param position the step's index in its group, or the task's in its DAG
     */
    StepOutcome run(
            Node parent, String nodeName, JsonNode step, Scope scope, String where, int position) {
        String name = step.path("name").asString();
        Place place = new Place(parent, where, (long) position << 32);
        Optional<List<JsonNode>> items;
        try {
            items = ItemExpansion.of(step, scope);
        } catch (NodeErrorException | UnresolvedVariableException e) {
            return StepOutcome.single(
                    name, errorNode(place, nodeName, name, step, e.getMessage(), 0));
        }
        if (items.isEmpty()) {
            return StepOutcome.single(name, runOne(place, nodeName, name, step, scope, 0));
        }
        List<Future<Node>> futures = new ArrayList<>();
        List<JsonNode> list = items.get();
        for (int i = 0; i < list.size(); i++) {
            String suffix = ItemExpansion.nodeSuffix(i, list.get(i));
            Scope itemScope = scope.withItem(list.get(i));
            int item = i;
            futures.add(
                    run.submit(
                            () ->
                                    runOne(
                                            place,
                                            nodeName + suffix,
                                            name + suffix,
                                            step,
                                            itemScope,
                                            item)));
        }
        return StepOutcome.expanded(name, WorkflowRun.all(futures));
    }

    private Node runOne(
            Place place,
            String nodeName,
            String displayName,
            JsonNode step,
            Scope scope,
            int item) {
        long order = place.order() + item;
        ResolvedTemplate template;
        Arguments arguments;
        try {
            if (step.has("when")) {
                String condition = Substitution.apply(step.get("when").asString(), scope);
                if (!WhenCondition.holds(condition)) {
                    Node skipped =
                            run.tree()
                                    .create(
                                            place.parent(),
                                            nodeName,
                                            displayName,
                                            NodeType.Skipped,
                                            templateName(step),
                                            order);
                    run.finish(
                            skipped,
                            NodePhase.Skipped,
                            "when '%s' evaluated false".formatted(condition));
                    return skipped;
                }
            }
            template = run.resolve(caller, step, place.where());
            arguments = Arguments.of(step.path("arguments"), scope);
        } catch (NodeErrorException
                | UnresolvedVariableException
                | IllegalArgumentException
                | InvalidWorkflowException e) {
            return errorNode(place, nodeName, displayName, step, e.getMessage(), item);
        }
        TemplateCall invocation =
                new TemplateCall(place.parent(), nodeName, displayName, template, arguments, order);
        if (templateParallelism == null) {
            return run.run(invocation);
        }
        templateParallelism.acquireUninterruptibly();
        try {
            return run.run(invocation);
        } finally {
            templateParallelism.release();
        }
    }

    private Node errorNode(
            Place place,
            String nodeName,
            String displayName,
            JsonNode step,
            String message,
            int item) {
        Node node =
                run.tree()
                        .create(
                                place.parent(),
                                nodeName,
                                displayName,
                                NodeType.Pod,
                                templateName(step),
                                place.order() + item);
        run.finish(node, NodePhase.Error, message);
        return node;
    }

    static String templateName(JsonNode step) {
        return step.has("templateRef")
                ? step.path("templateRef").path("template").asString()
                : step.path("template").asString();
    }

    /** Where a step's nodes go: under which parent, at which position. */
    private record Place(Node parent, String where, long order) {}
}
