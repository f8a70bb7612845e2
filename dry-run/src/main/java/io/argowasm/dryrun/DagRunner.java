package io.argowasm.dryrun;

import io.argowasm.argo.NodePhase;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a {@code dag} template: a task starts once every task its {@code dependencies} or {@code
 * depends} name has finished, and is Omitted when {@code depends} is false. A failed task fails the
 * DAG unless it has {@code continueOn} or another task's {@code depends} handles its failure
 * ({@code A.Failed}); with {@code failFast} (the default) no new task starts after such a failure.
 * {@link DagSchedule} decides what may start; this runner starts it and collects the outcomes.
 */
final class DagRunner implements TemplateRunner {

    private final WorkflowRun run;

    DagRunner(WorkflowRun run) {
        this.run = run;
    }

    @Override
    public Node run(TemplateCall invocation, BoundTemplate bound) {
        Node node = run.open(invocation, NodeType.DAG, bound);
        Walk walk = new Walk(node, bound);
        while (true) {
            walk.startReadyTasks();
            if (!walk.schedule.anyRunning()) {
                break;
            }
            try {
                walk.collect(walk.completions.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return run.finish(node, NodePhase.Error, "the dry run was interrupted");
            }
        }
        if (walk.schedule.failure() != null) {
            return run.finish(node, NodePhase.Failed, walk.schedule.failure());
        }
        return TemplateOutputs.finish(run, node, bound, walk.scope);
    }

    /** One DAG's run: its schedule, the outcomes arriving from the tasks' threads, its scope. */
    private final class Walk {
        private final Node node;
        private final BoundTemplate bound;
        private final ChildRunner children;
        private final DagSchedule schedule;
        private final BlockingQueue<StepOutcome> completions = new LinkedBlockingQueue<>();
        private Scope scope;

        Walk(Node node, BoundTemplate bound) {
            this.node = node;
            this.bound = bound;
            this.children = ChildRunner.forTemplate(run, bound);
            this.schedule = DagSchedule.of(bound.template().path("dag"));
            this.scope = bound.scope();
        }

        /** Starts every task that may start now; an omitted one may let others start. */
        void startReadyTasks() {
            for (Optional<DagSchedule.Task> ready = schedule.takeReady();
                    ready.isPresent();
                    ready = schedule.takeReady()) {
                DagSchedule.Task task = ready.get();
                if (schedule.holds(task)) {
                    submit(task);
                } else {
                    StepOutcome outcome = StepOutcome.single(task.name(), omit(task));
                    schedule.omitted(outcome);
                    scope = outcome.addTo(scope, "tasks");
                }
            }
        }

        void collect(StepOutcome outcome) {
            schedule.finished(outcome);
            scope = outcome.addTo(scope, "tasks");
        }

        private Node omit(DagSchedule.Task task) {
            Node omitted = taskNode(task, NodeType.Skipped);
            return run.finish(
                    omitted,
                    NodePhase.Omitted,
                    "depends '%s' is false".formatted(task.describeCondition()));
        }

        private void submit(DagSchedule.Task task) {
            Scope taskScope = scope;
            String where = bound.resolved().at("dag.tasks[%d]".formatted(task.index()));
            schedule.running();
            run.submit(
                    () -> {
                        try {
                            completions.add(
                                    children.run(
                                            node,
                                            nodeName(task),
                                            task.spec(),
                                            taskScope,
                                            where,
                                            task.index()));
                        } catch (RuntimeException e) {
                            Node broken = taskNode(task, NodeType.Pod);
                            run.finish(broken, NodePhase.Error, String.valueOf(e));
                            completions.add(StepOutcome.single(task.name(), broken));
                        }
                        return null;
                    });
        }

        private Node taskNode(DagSchedule.Task task, NodeType type) {
            return run.tree()
                    .create(
                            node,
                            nodeName(task),
                            task.name(),
                            type,
                            ChildRunner.templateName(task.spec()),
                            (long) task.index() << 32);
        }

        private String nodeName(DagSchedule.Task task) {
            return node.name() + "." + task.name();
        }
    }
}
