package io.argowasm.exec;

import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Parameter;
import io.argowasm.budget.MemoryBudget;
import io.argowasm.metrics.PluginMetrics.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The invocations the sidecar knows: running ones, and finished ones kept until the agent has
 * collected them. Bounded in time, in number and in bytes: a kept result is charged to the memory
 * budget, and results already delivered are dropped first when the budget runs short.
 */
final class Invocations {

    private final Map<InvocationKey, Invocation> byKey = new ConcurrentHashMap<>();
    // Finished invocations in the order they finished, so the oldest go first without a sort.
    private final Queue<Invocation> finished = new ConcurrentLinkedQueue<>();
    private final InvocationRetention retention;
    private final MemoryBudget budget;

    Invocations(InvocationRetention retention, MemoryBudget budget) {
        this.retention = retention;
        this.budget = budget;
        budget.addReclaimer(this::dropDelivered);
    }

    /** Drops delivered results, oldest first, until about {@code wanted} bytes are given back. */
    private void dropDelivered(long wanted) {
        long before = budget.used();
        for (Invocation i : finished) {
            if (before - budget.used() >= wanted) {
                return;
            }
            if (i.deliveredNanos() != 0) {
                remove(i);
            }
        }
    }

    private void remove(Invocation invocation) {
        if (byKey.remove(invocation.key(), invocation)) {
            invocation.forget(budget);
        }
    }

    /** Heap a result takes while kept: its texts twice (the record and the reply) and some. */
    static long resultBytes(NodeResult result) {
        long chars = result.message() == null ? 0 : result.message().length();
        if (result.outputs() != null && result.outputs().parameters() != null) {
            for (Parameter p : result.outputs().parameters()) {
                chars += p.name().length() + (p.value() == null ? 0 : p.value().length());
            }
        }
        return 512 + 4 * chars;
    }

    Invocation find(InvocationKey key) {
        return byKey.get(key);
    }

    /** Registers an invocation, or returns the one already registered under its key. */
    Invocation registerOrJoin(Invocation invocation) {
        Invocation existing = byKey.putIfAbsent(invocation.key(), invocation);
        if (existing != null) {
            return existing;
        }
        invocation
                .result()
                .whenComplete(
                        (result, error) -> {
                            if (result != null) {
                                invocation.keepResult(budget, resultBytes(result));
                            }
                            finished.add(invocation);
                        });
        return invocation;
    }

    /**
     * Notes that the agent received the invocation's result. A failed result is forgotten at once,
     * so that Argo's {@code retryStrategy} runs the step again; a successful one is kept briefly,
     * to answer a retry of a reply the agent lost.
     */
    void delivered(Invocation invocation, NodeResult result) {
        invocation.delivered();
        if (result.phase() != NodePhase.Succeeded) {
            remove(invocation);
        }
    }

    List<Invocation> running() {
        return byKey.values().stream().filter(i -> !i.result().isDone()).toList();
    }

    int size() {
        return byKey.size();
    }

    /** Drops what is no longer needed and gives up on invocations nobody asks about any more. */
    void sweep(long nowNanos) {
        for (Invocation i : byKey.values()) {
            long delivered = i.deliveredNanos();
            long finishedAt = i.finishedNanos();
            if (delivered != 0 && nowNanos - delivered > retention.afterDelivery().toNanos()) {
                remove(i);
            } else if (finishedAt != 0
                    && nowNanos - finishedAt > retention.uncollected().toNanos()) {
                remove(i);
            } else if (finishedAt == 0
                    && nowNanos - i.lastPolledNanos() > retention.abandonedAfter().toNanos()) {
                i.stop(
                        NodeResult.failed(
                                ("%s was stopped: nobody asked for its result for %ss (the"
                                                + " workflow was stopped or its agent is gone)")
                                        .formatted(
                                                i.what(), retention.abandonedAfter().toSeconds())),
                        Reason.ABANDONED);
                remove(i);
            }
        }
        while (byKey.size() > retention.maxKept()) {
            Invocation oldest = finished.poll();
            if (oldest == null) {
                break;
            }
            remove(oldest);
        }
        finished.removeIf(i -> byKey.get(i.key()) != i);
    }

    /**
     * How long invocations are kept.
     *
     * @param afterDelivery a successful result, after the agent received it
     * @param uncollected a result the agent has not collected yet
     * @param abandonedAfter a running invocation nobody has asked about for this long is stopped
     * @param maxKept finished invocations beyond this number are dropped, oldest first
     */
    record InvocationRetention(
            Duration afterDelivery, Duration uncollected, Duration abandonedAfter, int maxKept) {

        static final InvocationRetention DEFAULTS =
                new InvocationRetention(
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(5),
                        4_096);
    }
}
