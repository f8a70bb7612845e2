package io.argowasm.exec;

import java.util.concurrent.Executor;

/**
 * Work on a guest thread that can be stopped while, and only while, it runs. A stop is sticky: one
 * that arrives before the thread has started interrupts the thread as soon as it starts, and {@link
 * #interrupt()} may be repeated for code that swallowed an earlier interrupt.
 */
final class GuestTask {

    private Thread runner;
    private boolean stopped;
    private boolean finished;

    private GuestTask() {}

    static GuestTask start(Executor threads, Runnable work) {
        GuestTask task = new GuestTask();
        threads.execute(
                () -> {
                    task.begin();
                    try {
                        work.run();
                    } finally {
                        task.finish();
                    }
                });
        return task;
    }

    /** Stops the work: interrupts the guest thread now, or as soon as it starts. */
    synchronized void interrupt() {
        stopped = true;
        if (runner != null && !finished) {
            runner.interrupt();
        }
    }

    /** Whether the work has ended, normally or not. */
    synchronized boolean finished() {
        return finished;
    }

    private synchronized void begin() {
        runner = Thread.currentThread();
        if (stopped) {
            runner.interrupt();
        }
    }

    private synchronized void finish() {
        finished = true;
        Thread.interrupted();
    }
}
