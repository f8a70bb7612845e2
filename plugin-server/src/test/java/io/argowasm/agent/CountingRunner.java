package io.argowasm.agent;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Counts the tasks a runner starts, per (task-set uid, node id), and can hold their results back
 * until the test lets them go.
 */
final class CountingRunner implements TaskRunner {

    private final TaskRunner runner;
    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    CountingRunner(TaskRunner runner) {
        this.runner = runner;
    }

    @Override
    public RunningTask start(TaskSet taskSet, String nodeId, JsonNode template) {
        starts.computeIfAbsent(key(taskSet.uid(), nodeId), k -> new AtomicInteger())
                .incrementAndGet();
        RunningTask task = runner.start(taskSet, nodeId, template);
        CompletableFuture<Void> held = gate;
        return new RunningTask(task.result().thenCombine(held, (r, v) -> r), task.stop());
    }

    /** Holds back results from now on, until {@link #release()}. */
    void hold() {
        gate = new CompletableFuture<>();
    }

    void release() {
        gate.complete(null);
    }

    int starts(String uid, String nodeId) {
        AtomicInteger n = starts.get(key(uid, nodeId));
        return n == null ? 0 : n.get();
    }

    Map<String, AtomicInteger> all() {
        return starts;
    }

    int total() {
        return starts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static String key(String uid, String nodeId) {
        return uid + "/" + nodeId;
    }
}
