package io.argowasm.exec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A piece of guest work on a guest thread whose result is published as soon as it is known, so
 * clean-up after it (resetting an instance) stays off the caller's path, and which can be
 * interrupted while, and only while, it runs.
 */
final class GuestTask<T> {

    /** The work: computes the result, hands it to {@code publish}, then may clean up. */
    @FunctionalInterface
    interface Work<T> {
        void run(java.util.function.Consumer<T> publish) throws Exception;
    }

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private Thread runner;
    private boolean finished;

    private GuestTask() {}

    static <T> GuestTask<T> start(Executor threads, Work<T> work) {
        GuestTask<T> task = new GuestTask<>();
        threads.execute(task.body(work));
        return task;
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** Interrupts the guest thread if the work is still running. */
    synchronized void interrupt() {
        if (runner != null && !finished) {
            runner.interrupt();
        }
    }

    private Runnable body(Work<T> work) {
        return () -> {
            synchronized (this) {
                runner = Thread.currentThread();
            }
            try {
                work.run(result::complete);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    finished = true;
                }
                Thread.interrupted();
            }
        };
    }
}
