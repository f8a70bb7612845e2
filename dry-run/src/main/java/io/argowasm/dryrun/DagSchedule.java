package io.argowasm.dryrun;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which tasks of one {@code dag} may start, which run and which are done: a task is ready once
 * every task its {@code depends} or {@code dependencies} name is done, and then either runs or,
 * when its {@code depends} is false, is omitted. Holds the first failure that fails the DAG; with
 * {@code failFast} (the default) no task starts after it. Used by one thread, the DAG's runner.
 */
final class DagSchedule {

    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Set<String> failureHandled = new HashSet<>();
    private final boolean failFast;
    private final Set<String> started = new HashSet<>();
    private final Map<String, DependsExpression.TaskOutcome> done = new HashMap<>();
    private int running;
    private String failure;

    /** One task of the DAG: its spec, its index in {@code tasks} and its condition, if any. */
    record Task(String name, JsonNode spec, int index, DependsExpression condition) {

        /** The {@code depends} text as the user wrote it, or the {@code dependencies} joined. */
        String describeCondition() {
            if (spec.has("depends")) {
                return spec.get("depends").asString();
            }
            List<String> names = new ArrayList<>();
            spec.path("dependencies").forEach(d -> names.add(d.asString()));
            return String.join(" && ", names);
        }
    }

    private DagSchedule(JsonNode dag) {
        this.failFast = dag.path("failFast").asBoolean(true);
        JsonNode list = dag.path("tasks");
        for (int i = 0; i < list.size(); i++) {
            JsonNode spec = list.get(i);
            String name = spec.path("name").asString();
            DependsExpression condition = DependsExpression.ofTask(spec);
            tasks.put(name, new Task(name, spec, i, condition));
            if (condition != null) {
                failureHandled.addAll(condition.failureHandlers());
            }
        }
    }

    static DagSchedule of(JsonNode dag) {
        return new DagSchedule(dag);
    }

    /**
     * The first task, in the order written, that has not started and whose dependencies are all
     * done; it counts as started from now on. Empty when none is, or when a failure stops new
     * starts.
     */
    Optional<Task> takeReady() {
        if (failure != null && failFast) {
            return Optional.empty();
        }
        for (Task task : tasks.values()) {
            if (started.contains(task.name())
                    || (task.condition() != null
                            && !done.keySet().containsAll(task.condition().tasks()))) {
                continue;
            }
            started.add(task.name());
            return Optional.of(task);
        }
        return Optional.empty();
    }

    /** Whether a ready task runs: its {@code depends} holds on the outcomes so far. */
    boolean holds(Task task) {
        return task.condition() == null || task.condition().holds(done);
    }

    /** A ready task was handed to a thread. */
    void running() {
        running++;
    }

    boolean anyRunning() {
        return running > 0;
    }

    /** A task that was not run (omitted) is done. */
    void omitted(StepOutcome outcome) {
        done.put(outcome.name(), outcome.taskOutcome());
    }

    /**
     * A running task finished; its failure fails the DAG unless {@code continueOn} or another
     * task's {@code depends} handles it.
     */
    void finished(StepOutcome outcome) {
        running--;
        done.put(outcome.name(), outcome.taskOutcome());
        if (failure == null
                && outcome.phase().failed()
                && !StepsRunner.continues(tasks.get(outcome.name()).spec(), outcome.phase())
                && !failureHandled.contains(outcome.name())) {
            failure = outcome.failureMessage();
        }
    }

    /** The failure that fails the DAG, or {@code null}. */
    String failure() {
        return failure;
    }
}
