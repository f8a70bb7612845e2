package io.argowasm.agent;

import io.argowasm.argo.NodeResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A task the agent started: its result once known (never completed exceptionally), and how to stop
 * it when its node leaves the task set.
 */
record RunningTask(CompletableFuture<NodeResult> result, Consumer<String> stop) {

    static RunningTask finished(NodeResult result) {
        return new RunningTask(CompletableFuture.completedFuture(result), why -> {});
    }
}
