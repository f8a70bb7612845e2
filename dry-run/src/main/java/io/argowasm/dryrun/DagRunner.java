package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@code dag} template: a task starts once every task its {@code dependencies} or {@code
 * depends} name has finished, and is Omitted when {@code depends} is false. A failed task fails the
 * DAG unless it has {@code continueOn} or another task's {@code depends} handles its failure
 * ({@code A.Failed}); with {@code failFast} (the default) no new task starts after such a failure.
 */
final class DagRunner implements TemplateRunner {

    private final WorkflowRun run;

    DagRunner(WorkflowRun run) {
        this.run = run;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        Node node = run.create(invocation, NodeType.DAG);
        node.inputs(bound.inputs());
        run.tree.start(node);
        JsonNode dag = bound.template().path("dag");
        int parallelism = bound.template().path("parallelism").asInt(0);
        ChildRunner children =
                new ChildRunner(
                        run,
                        bound.resolved().document(),
                        parallelism > 0 ? new Semaphore(parallelism, true) : null);
        boolean failFast = dag.path("failFast").asBoolean(true);
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, DependsExpression> conditions = new HashMap<>();
        Set<String> handled = new HashSet<>();
        JsonNode list = dag.path("tasks");
        for (int i = 0; i < list.size(); i++) {
            JsonNode task = list.get(i);
            String name = task.path("name").asString();
            tasks.put(name, task);
            index.put(name, i);
            DependsExpression condition = DependsExpression.ofTask(task);
            if (condition != null) {
                conditions.put(name, condition);
                handled.addAll(condition.failureHandlers());
            }
        }
        Map<String, DependsExpression.TaskOutcome> finished = new HashMap<>();
        Set<String> started = new HashSet<>();
        BlockingQueue<StepOutcome> completions = new LinkedBlockingQueue<>();
        Scope scope = bound.scope();
        int running = 0;
        String failure = null;
        while (true) {
            boolean progress = true;
            while (progress && (failure == null || !failFast)) {
                progress = false;
                for (Map.Entry<String, JsonNode> entry : tasks.entrySet()) {
                    String name = entry.getKey();
                    DependsExpression condition = conditions.get(name);
                    if (started.contains(name)
                            || (condition != null
                                    && !finished.keySet().containsAll(condition.tasks()))) {
                        continue;
                    }
                    started.add(name);
                    String nodeName = node.name() + "." + name;
                    if (condition != null && !condition.holds(finished)) {
                        Node omitted =
                                run.tree.create(
                                        node,
                                        nodeName,
                                        name,
                                        NodeType.Skipped,
                                        templateName(entry.getValue()),
                                        (long) index.get(name) << 32);
                        run.tree.finish(
                                omitted,
                                NodePhase.Omitted,
                                "depends '" + describe(entry.getValue()) + "' is false");
                        StepOutcome outcome = StepOutcome.single(name, omitted);
                        finished.put(name, outcome.taskOutcome());
                        scope = outcome.addTo(scope, "tasks");
                        progress = true;
                        continue;
                    }
                    Scope taskScope = scope;
                    String where = bound.resolved().at("dag.tasks[" + index.get(name) + "]");
                    running++;
                    run.submit(
                            () -> {
                                try {
                                    completions.add(
                                            children.run(
                                                    node,
                                                    nodeName,
                                                    entry.getValue(),
                                                    taskScope,
                                                    where,
                                                    index.get(name)));
                                } catch (RuntimeException e) {
                                    Node broken =
                                            run.tree.create(
                                                    node,
                                                    nodeName,
                                                    name,
                                                    NodeType.Pod,
                                                    templateName(entry.getValue()),
                                                    (long) index.get(name) << 32);
                                    run.tree.finish(broken, NodePhase.Error, String.valueOf(e));
                                    completions.add(StepOutcome.single(name, broken));
                                }
                                return null;
                            });
                }
            }
            if (running == 0) {
                break;
            }
            StepOutcome outcome;
            try {
                outcome = completions.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.tree.finish(node, NodePhase.Error, "the dry run was interrupted");
                return node;
            }
            running--;
            finished.put(outcome.name(), outcome.taskOutcome());
            scope = outcome.addTo(scope, "tasks");
            if (failure == null
                    && outcome.phase().failed()
                    && !StepsRunner.continues(tasks.get(outcome.name()), outcome.phase())
                    && !handled.contains(outcome.name())) {
                failure = outcome.failureMessage();
            }
        }
        if (failure != null) {
            run.tree.finish(node, NodePhase.Failed, failure);
            return node;
        }
        return TemplateOutputs.finish(run, node, bound, scope);
    }

    private static String describe(JsonNode task) {
        if (task.has("depends")) {
            return task.get("depends").asString();
        }
        List<String> names = new ArrayList<>();
        task.path("dependencies").forEach(d -> names.add(d.asString()));
        return String.join(" && ", names);
    }

    private static String templateName(JsonNode task) {
        return task.has("templateRef")
                ? task.path("templateRef").path("template").asString()
                : task.path("template").asString();
    }
}
