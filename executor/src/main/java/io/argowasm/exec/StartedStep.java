package io.argowasm.exec;

import io.argowasm.argo.NodeResult;
import io.argowasm.metrics.PluginMetrics.Reason;
import java.util.concurrent.CompletableFuture;

/**
 * A step started by {@link TemplateExecutor#start}: its result once known, and a way to stop it
 * when its node is no longer wanted.
 */
public final class StartedStep {

    private final Invocation invocation;
    private final Runnable onStop;

    StartedStep(Invocation invocation, Runnable onStop) {
        this.invocation = invocation;
        this.onStop = onStop;
    }

    /** Completes with the step's result: always a node, never exceptionally. */
    public CompletableFuture<NodeResult> result() {
        return invocation.result();
    }

    /**
     * Stops the step, waiting or running, with a {@code Failed} result carrying {@code why}; does
     * nothing once it has a result.
     */
    public void stop(String why) {
        invocation.stop(
                NodeResult.failed("%s was stopped: %s".formatted(invocation.what(), why)),
                Reason.ABANDONED);
        onStop.run();
    }
}
